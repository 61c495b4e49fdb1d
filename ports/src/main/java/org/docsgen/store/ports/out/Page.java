package org.docsgen.store.ports.out;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

/** One page of a sorted listing; {@code nextCursor} is null on the last page. */
public record Page<T>(List<T> items, String nextCursor) {
  public Page {
    items = List.copyOf(items);
  }

  public static <T> Page<T> last(List<T> items) {
    return new Page<>(items, null);
  }

  public Optional<String> next() {
    return Optional.ofNullable(nextCursor);
  }

  public <R> Page<R> map(Function<? super T, ? extends R> mapper) {
    List<R> mapped = new ArrayList<>(items.size());
    for (T item : items) {
      mapped.add(mapper.apply(item));
    }
    return new Page<>(mapped, nextCursor);
  }

  /** Reads every page of a listing; only for callers that know the listing is bounded. */
  public static <T> List<T> all(Function<PageRequest, Page<T>> lister) {
    List<T> all = new ArrayList<>();
    PageRequest request = PageRequest.first(PageRequest.MAX_LIMIT);
    while (true) {
      Page<T> page = lister.apply(request);
      all.addAll(page.items());
      if (page.nextCursor() == null) {
        return all;
      }
      request = request.next(page.nextCursor());
    }
  }
}
