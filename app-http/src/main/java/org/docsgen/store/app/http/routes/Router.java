package org.docsgen.store.app.http.routes;

import io.javalin.http.Handler;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.docsgen.store.app.http.auth.Access;
import org.docsgen.store.app.http.auth.BearerAuthenticator;
import org.docsgen.store.app.http.auth.Principal;
import org.docsgen.store.app.http.problem.ApiException;
import org.docsgen.store.app.http.problem.Problem;
import org.docsgen.store.app.http.problem.ProblemType;

/**
 * Wraps each route's handler with what every route shares: noting the matched route template, and
 * authorisation — no token or an unknown one is 401 with {@code WWW-Authenticate}, a token whose
 * roles do not grant the route's access is 403 — before the handler runs.
 */
public final class Router {
  private final List<Route> routes;
  private final BearerAuthenticator authenticator;

  public Router(List<Route> routes, BearerAuthenticator authenticator) {
    this.routes = List.copyOf(routes);
    this.authenticator = authenticator;
  }

  public List<Route> routes() {
    return routes;
  }

  public Handler handler(Route route) {
    return ctx -> {
      Exchange exchange = Exchange.of(ctx);
      exchange.matched(route);
      if (route.access() != Access.OPEN) {
        exchange.authenticated(authorise(route, ctx.header("Authorization")));
      }
      route.handler().handle(exchange);
    };
  }

  private Principal authorise(Route route, String authorization) {
    Optional<Principal> principal = authenticator.authenticate(authorization);
    if (principal.isEmpty()) {
      String challenge =
          authorization == null
              ? "Bearer realm=\"docsgen\""
              : "Bearer realm=\"docsgen\", error=\"invalid_token\"";
      throw new ApiException(
          Problem.of(
              ProblemType.UNAUTHORIZED,
              authorization == null
                  ? "this route needs Authorization: Bearer <token>"
                  : "the bearer token is not valid"),
          Map.of("WWW-Authenticate", challenge));
    }
    if (!principal.get().may(route.access())) {
      throw new ApiException(
          Problem.of(
              ProblemType.FORBIDDEN,
              "principal '"
                  + principal.get().name()
                  + "' has roles "
                  + principal.get().roles().stream().map(r -> r.label()).sorted().toList()
                  + "; "
                  + route.method()
                  + " "
                  + route.path()
                  + " needs "
                  + needs(route.access())));
    }
    return principal.get();
  }

  private static String needs(Access access) {
    return switch (access) {
      case OPEN, READ -> "any role";
      case WRITE -> "writer or admin";
      case APPROVE -> "approver or admin";
      case ADMIN -> "admin";
    };
  }
}
