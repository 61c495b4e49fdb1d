package org.docsgen.store.app.http.routes;

/** What a route does once routing and authorisation let the request through. */
@FunctionalInterface
public interface RouteHandler {
  void handle(Exchange exchange) throws Exception;
}
