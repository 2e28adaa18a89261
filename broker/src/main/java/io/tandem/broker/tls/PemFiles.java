package io.tandem.broker.tls;

import io.tandem.broker.BrokerException;
import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.jce.provider.BouncyCastleProvider;
import org.bouncycastle.openssl.PEMEncryptedKeyPair;
import org.bouncycastle.openssl.PEMException;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;
import org.bouncycastle.openssl.jcajce.JceOpenSSLPKCS8DecryptorProviderBuilder;
import org.bouncycastle.openssl.jcajce.JcePEMDecryptorProviderBuilder;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.pkcs.PKCS8EncryptedPrivateKeyInfo;
import org.bouncycastle.pkcs.PKCSException;

/**
 * Reads PEM files: certificate chains, private keys (PKCS#8 plain or encrypted, PKCS#1 RSA, SEC1
 * EC, OpenSSL's legacy encrypted form) and trusted CAs. Bouncy Castle only decodes and decrypts;
 * the keys and certificates it returns are the JDK's own, so the JDK's TLS uses them as usual.
 * Failures are {@link BrokerException}s of category CONFIG whose message names the file.
 */
final class PemFiles {
  /** Not registered as a JCA provider: used only to decrypt keys. */
  private static final BouncyCastleProvider BC = new BouncyCastleProvider();

  private PemFiles() {}

  /** Every certificate in {@code file}, in file order; at least one. */
  static List<X509Certificate> certificates(Path file) {
    List<X509Certificate> certs = new ArrayList<>();
    JcaX509CertificateConverter converter = new JcaX509CertificateConverter();
    for (Object o : objects(file)) {
      if (o instanceof X509CertificateHolder holder) {
        try {
          certs.add(converter.getCertificate(holder));
        } catch (CertificateException e) {
          throw error(file, "holds a certificate the JDK cannot read: " + e.getMessage(), e);
        }
      }
    }
    if (certs.isEmpty()) {
      throw error(file, "holds no PEM certificate (-----BEGIN CERTIFICATE-----)", null);
    }
    return certs;
  }

  /** The private key in {@code file}, decrypted with {@code password} when it is encrypted. */
  static PrivateKey privateKey(Path file, String password) {
    PrivateKey key = null;
    for (Object o : objects(file)) {
      PrivateKeyInfo info = keyInfo(file, o, password);
      if (info != null) {
        if (key != null) {
          throw error(file, "holds more than one private key", null);
        }
        try {
          key = new JcaPEMKeyConverter().getPrivateKey(info);
        } catch (PEMException e) {
          throw error(file, "holds a private key the JDK cannot use: " + e.getMessage(), e);
        }
      }
    }
    if (key == null) {
      throw error(file, "holds no PEM private key", null);
    }
    return key;
  }

  private static PrivateKeyInfo keyInfo(Path file, Object o, String password) {
    try {
      if (o instanceof PrivateKeyInfo info) {
        return info;
      }
      if (o instanceof PEMKeyPair pair) {
        return pair.getPrivateKeyInfo();
      }
      if (o instanceof PKCS8EncryptedPrivateKeyInfo enc) {
        return enc.decryptPrivateKeyInfo(
            new JceOpenSSLPKCS8DecryptorProviderBuilder()
                .setProvider(BC)
                .build(requirePassword(file, password)));
      }
      if (o instanceof PEMEncryptedKeyPair enc) {
        return enc.decryptKeyPair(
                new JcePEMDecryptorProviderBuilder()
                    .setProvider(BC)
                    .build(requirePassword(file, password)))
            .getPrivateKeyInfo();
      }
      return null;
    } catch (PKCSException | IOException e) {
      throw error(file, "cannot decrypt the private key: wrong password?", e);
    } catch (OperatorCreationException e) {
      throw error(file, "cannot decrypt the private key: " + e.getMessage(), e);
    }
  }

  private static char[] requirePassword(Path file, String password) {
    if (password == null) {
      throw error(file, "holds an encrypted private key but no password is set", null);
    }
    return password.toCharArray();
  }

  /** A key store of every certificate in {@code file}, as trust anchors. */
  static KeyStore trustStore(Path file) {
    try {
      KeyStore ks = KeyStore.getInstance("PKCS12");
      ks.load(null, null);
      int i = 0;
      for (X509Certificate c : certificates(file)) {
        ks.setCertificateEntry("ca-" + i++, c);
      }
      return ks;
    } catch (GeneralSecurityException | IOException e) {
      throw error(file, "cannot build a trust store: " + e.getMessage(), e);
    }
  }

  /** Refuses a key that does not belong to the chain's first certificate. */
  static void checkKeyMatches(Path keyFile, PrivateKey key, X509Certificate cert) {
    String alg =
        switch (key.getAlgorithm()) {
          case "RSA" -> "SHA256withRSA";
          case "EC" -> "SHA256withECDSA";
          case "Ed25519", "EdDSA" -> "Ed25519";
          default -> null;
        };
    if (alg == null) {
      return;
    }
    byte[] probe = new byte[32];
    new SecureRandom().nextBytes(probe);
    boolean matches;
    try {
      Signature s = Signature.getInstance(alg);
      s.initSign(key);
      s.update(probe);
      byte[] sig = s.sign();
      PublicKey pub = cert.getPublicKey();
      Signature v = Signature.getInstance(alg);
      v.initVerify(pub);
      v.update(probe);
      matches = v.verify(sig);
    } catch (GeneralSecurityException e) {
      matches = false;
    }
    if (!matches) {
      throw error(
          keyFile,
          "holds a private key that does not belong to the certificate "
              + cert.getSubjectX500Principal().getName(),
          null);
    }
  }

  private static List<Object> objects(Path file) {
    List<Object> out = new ArrayList<>();
    try (Reader r = Files.newBufferedReader(file, StandardCharsets.US_ASCII);
        PEMParser parser = new PEMParser(r)) {
      Object o;
      while ((o = parser.readObject()) != null) {
        out.add(o);
      }
      return out;
    } catch (IOException | RuntimeException e) {
      throw error(file, "cannot be read as PEM: " + e.getMessage(), e);
    }
  }

  private static BrokerException error(Path file, String reason, Throwable cause) {
    return new BrokerException(BrokerException.Category.CONFIG, file + " " + reason, cause);
  }
}
