package org.docsgen.store.app.http.auth;

import static java.util.Objects.requireNonNull;

import java.util.Set;

/**
 * Who a request acts for: the principal named by its bearer token, and that token's roles. The
 * principal is the actor recorded for every write; no request body can change it.
 */
public record Principal(String name, Set<Role> roles) {
  public Principal {
    requireNonNull(name, "name is null");
    roles = Set.copyOf(roles);
  }

  public boolean may(Access access) {
    return access == Access.OPEN || roles.stream().anyMatch(role -> role.grants(access));
  }
}
