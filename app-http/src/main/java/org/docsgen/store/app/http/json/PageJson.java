package org.docsgen.store.app.http.json;

import java.util.List;
import java.util.function.Function;
import org.docsgen.store.ports.out.Page;

/** Every list: {@code {"items": [...], "nextCursor": "..." | null}}. */
public record PageJson<T>(List<T> items, String nextCursor) {

  public static <D, T> PageJson<T> of(Page<D> page, Function<? super D, ? extends T> view) {
    return new PageJson<>(page.items().stream().<T>map(view).toList(), page.nextCursor());
  }
}
