package io.tandem.broker.tls;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.jce.provider.BouncyCastleProvider;
import org.bouncycastle.openssl.PKCS8Generator;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;
import org.bouncycastle.openssl.jcajce.JceOpenSSLPKCS8EncryptorBuilder;
import org.bouncycastle.operator.ContentSigner;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * A throw-away certificate authority for tests: generates keys and certificates (Bouncy Castle)
 * into a test's temporary directory, as PEM files for the broker and PKCS#12 stores for Qpid JMS.
 * Nothing it makes is ever committed.
 */
public final class TestPki {
  /** The password of every PKCS#12 store this writes. */
  public static final String STORE_PASSWORD = "changeit";

  private static final AtomicLong SERIAL = new AtomicLong(System.nanoTime());

  private final Path dir;
  private final String name;
  private final KeyPair caKeys;
  private final X509Certificate caCert;
  private final Path caFile;

  /** A certificate and key written as PEM: {@code cert} holds the chain, {@code key} PKCS#8. */
  public record Issued(Path cert, Path key, X509Certificate certificate, PrivateKey privateKey) {}

  /** How a private key is written. */
  public enum KeyFormat {
    PKCS8,
    PKCS8_ENCRYPTED,
    /** PKCS#1 for RSA, SEC1 for EC: OpenSSL's traditional form. */
    TRADITIONAL
  }

  private TestPki(Path dir, String name, KeyPair caKeys, X509Certificate caCert, Path caFile) {
    this.dir = dir;
    this.name = name;
    this.caKeys = caKeys;
    this.caCert = caCert;
    this.caFile = caFile;
  }

  /** A new CA called {@code name}; its certificate is written to {@code dir/name-ca.pem}. */
  public static TestPki create(Path dir, String name) {
    try {
      Files.createDirectories(dir);
      KeyPair keys = ecKeys();
      X500Name subject = new X500Name("CN=" + name + " test CA,O=Tandem tests");
      Instant now = Instant.now();
      X509v3CertificateBuilder b =
          new JcaX509v3CertificateBuilder(
              subject,
              BigInteger.valueOf(SERIAL.incrementAndGet()),
              Date.from(now.minus(Duration.ofDays(1))),
              Date.from(now.plus(Duration.ofDays(30))),
              subject,
              keys.getPublic());
      b.addExtension(Extension.basicConstraints, true, new BasicConstraints(true));
      b.addExtension(
          Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
      X509Certificate cert = sign(b, keys.getPrivate());
      Path file = dir.resolve(name + "-ca.pem");
      writePem(file, List.of(cert));
      return new TestPki(dir, name, keys, cert, file);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (GeneralSecurityException | org.bouncycastle.operator.OperatorCreationException e) {
      throw new IllegalStateException(e);
    }
  }

  /** The CA certificate as PEM. */
  public Path caFile() {
    return caFile;
  }

  /** A certificate for {@code 127.0.0.1} and {@code localhost}, valid now. */
  public Issued issue(String file) {
    return issue(file, "tandem-" + file, List.of("localhost", "127.0.0.1"), Instant.now(), 30);
  }

  /**
   * A certificate with subject {@code CN=cn}, names {@code names} (DNS names, or IP addresses when
   * they look like one), valid from {@code notBefore} for {@code days} days, with a PKCS#8 key.
   */
  public Issued issue(String file, String cn, List<String> names, Instant notBefore, int days) {
    return issue(file, cn, names, notBefore, days, KeyFormat.PKCS8, null);
  }

  /** Like {@link #issue(String, String, List, Instant, int)} with the key in {@code format}. */
  public Issued issue(
      String file,
      String cn,
      List<String> names,
      Instant notBefore,
      int days,
      KeyFormat format,
      String password) {
    try {
      KeyPair keys = ecKeys();
      X509v3CertificateBuilder b =
          new JcaX509v3CertificateBuilder(
              caCert,
              BigInteger.valueOf(SERIAL.incrementAndGet()),
              Date.from(notBefore.minus(Duration.ofMinutes(1))),
              Date.from(notBefore.plus(Duration.ofDays(days))),
              new X500Name("CN=" + cn + ",O=Tandem tests"),
              keys.getPublic());
      List<GeneralName> sans = new ArrayList<>();
      for (String n : names) {
        boolean ip = n.matches("[0-9.]+") || n.contains(":");
        sans.add(new GeneralName(ip ? GeneralName.iPAddress : GeneralName.dNSName, n));
      }
      if (!sans.isEmpty()) {
        b.addExtension(
            Extension.subjectAlternativeName,
            false,
            new GeneralNames(sans.toArray(new GeneralName[0])));
      }
      b.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
      X509Certificate cert = sign(b, caKeys.getPrivate());
      Path certFile = dir.resolve(file + ".pem");
      Path keyFile = dir.resolve(file + ".key");
      writePem(certFile, List.of(cert, caCert));
      writeKey(keyFile, keys.getPrivate(), format, password);
      return new Issued(certFile, keyFile, cert, keys.getPrivate());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (GeneralSecurityException | org.bouncycastle.operator.OperatorCreationException e) {
      throw new IllegalStateException(e);
    }
  }

  /** A PKCS#12 trust store holding this CA, for Qpid JMS's {@code transport.trustStoreLocation}. */
  public Path trustStore() {
    try {
      KeyStore ks = KeyStore.getInstance("PKCS12");
      ks.load(null, null);
      ks.setCertificateEntry("ca", caCert);
      Path file = dir.resolve(name + "-trust.p12");
      try (OutputStream out = Files.newOutputStream(file)) {
        ks.store(out, STORE_PASSWORD.toCharArray());
      }
      return file;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  /** A PKCS#12 key store with {@code issued}'s key and chain, for a client certificate. */
  public Path keyStore(Issued issued) {
    try {
      KeyStore ks = KeyStore.getInstance("PKCS12");
      ks.load(null, null);
      ks.setKeyEntry(
          "client",
          issued.privateKey(),
          STORE_PASSWORD.toCharArray(),
          new java.security.cert.Certificate[] {issued.certificate(), caCert});
      Path file = dir.resolve(issued.cert().getFileName() + ".p12");
      try (OutputStream out = Files.newOutputStream(file)) {
        ks.store(out, STORE_PASSWORD.toCharArray());
      }
      return file;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Writes {@code key} to {@code file} as PEM in {@code format}. */
  public static void writeKey(Path file, PrivateKey key, KeyFormat format, String password)
      throws IOException {
    try (Writer w = Files.newBufferedWriter(file);
        JcaPEMWriter pem = new JcaPEMWriter(w)) {
      switch (format) {
        case PKCS8 -> pem.writeObject(new JcaPKCS8Generator(key, null));
        case PKCS8_ENCRYPTED ->
            pem.writeObject(
                new JcaPKCS8Generator(
                    key,
                    new JceOpenSSLPKCS8EncryptorBuilder(PKCS8Generator.AES_256_CBC)
                        .setProvider(new BouncyCastleProvider())
                        .setPassword(password.toCharArray())
                        .build()));
        default -> {
          if (key.getAlgorithm().equals("EC")) {
            pem.writeObject(sec1(key));
          } else {
            pem.writeObject(key);
          }
        }
      }
    } catch (org.bouncycastle.operator.OperatorCreationException e) {
      throw new IllegalStateException(e);
    }
  }

  /** SEC1 as OpenSSL writes it: the curve inside the key structure. */
  private static org.bouncycastle.util.io.pem.PemObject sec1(PrivateKey key) throws IOException {
    org.bouncycastle.asn1.pkcs.PrivateKeyInfo info =
        org.bouncycastle.asn1.pkcs.PrivateKeyInfo.getInstance(key.getEncoded());
    org.bouncycastle.asn1.sec.ECPrivateKey inner =
        org.bouncycastle.asn1.sec.ECPrivateKey.getInstance(info.parsePrivateKey());
    org.bouncycastle.asn1.sec.ECPrivateKey withCurve =
        new org.bouncycastle.asn1.sec.ECPrivateKey(
            256,
            inner.getKey(),
            inner.getPublicKey(),
            info.getPrivateKeyAlgorithm().getParameters());
    return new org.bouncycastle.util.io.pem.PemObject("EC PRIVATE KEY", withCurve.getEncoded());
  }

  static KeyPair ecKeys() throws GeneralSecurityException {
    KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
    g.initialize(new ECGenParameterSpec("secp256r1"));
    return g.generateKeyPair();
  }

  static KeyPair rsaKeys() throws GeneralSecurityException {
    KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
    g.initialize(2048);
    return g.generateKeyPair();
  }

  private static X509Certificate sign(X509v3CertificateBuilder b, PrivateKey signer)
      throws GeneralSecurityException, org.bouncycastle.operator.OperatorCreationException {
    ContentSigner s = new JcaContentSignerBuilder("SHA256withECDSA").build(signer);
    return new JcaX509CertificateConverter().getCertificate(b.build(s));
  }

  private static void writePem(Path file, List<?> objects) throws IOException {
    Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
    try (Writer w = Files.newBufferedWriter(tmp);
        JcaPEMWriter pem = new JcaPEMWriter(w)) {
      for (Object o : objects) {
        pem.writeObject(o);
      }
    }
    Files.move(tmp, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
  }
}
