package io.tandem.broker.security;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import javax.naming.InvalidNameException;
import javax.naming.ldap.LdapName;
import javax.naming.ldap.Rdn;
import javax.security.auth.x500.X500Principal;

/**
 * The user a TLS client certificate stands for, for SASL EXTERNAL: the common name (CN) of the
 * certificate's subject. A subject with no CN or with several is no user: which one was meant
 * cannot be told, and guessing would let a certificate name two users.
 */
public final class CertificateUser {
  private CertificateUser() {}

  /** The user named by {@code subject}, or {@code null} when it has no single usable CN. */
  public static String of(X500Principal subject) {
    LdapName name;
    try {
      name = new LdapName(subject.getName(X500Principal.RFC2253));
    } catch (InvalidNameException e) {
      return null;
    }
    List<String> cns = new ArrayList<>();
    for (Rdn rdn : name.getRdns()) {
      if (rdn.size() != 1 && rdn.toAttributes().get("CN") != null) {
        // a multi-valued RDN with a CN in it (CN=a+UID=b): as ambiguous as two CNs
        return null;
      }
      if (rdn.getType().toUpperCase(Locale.ROOT).equals("CN")
          && rdn.getValue() instanceof String s) {
        cns.add(s);
      }
    }
    if (cns.size() != 1) {
      return null;
    }
    String user = cns.get(0);
    return SecurityFiles.nameProblem("user", user) == null ? user : null;
  }
}
