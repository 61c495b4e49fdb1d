package org.docsgen.store.app.http.auth;

import java.util.EnumSet;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * The roles a bearer token can carry (ARCHITECTURE.md § Roles) and what each grants: {@code reader}
 * every GET; {@code writer} reader + create runs, executions, artifacts, issues, overwrite tokens,
 * bundles; {@code approver} reader + approvals; {@code admin} everything.
 */
public enum Role {
  READER(EnumSet.of(Access.READ)),
  WRITER(EnumSet.of(Access.READ, Access.WRITE)),
  APPROVER(EnumSet.of(Access.READ, Access.APPROVE)),
  ADMIN(EnumSet.of(Access.READ, Access.WRITE, Access.APPROVE, Access.ADMIN));

  private final Set<Access> grants;

  Role(Set<Access> grants) {
    this.grants = grants;
  }

  /** Whether this role may use a route that needs {@code access}. */
  public boolean grants(Access access) {
    return access == Access.OPEN || grants.contains(access);
  }

  /** The role's name as configured ({@code reader}, {@code writer}, ...). */
  public String label() {
    return name().toLowerCase(Locale.ROOT);
  }

  public static Optional<Role> parse(String text) {
    for (Role role : values()) {
      if (role.label().equals(text)) {
        return Optional.of(role);
      }
    }
    return Optional.empty();
  }
}
