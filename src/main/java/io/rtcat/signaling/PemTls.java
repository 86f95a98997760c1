package io.rtcat.signaling;

import io.rtcat.errors.RtcatException;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.InvalidKeySpecException;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collection;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * Builds {@link SSLContext}s from PEM files (as written by openssl, certbot, mkcert): a certificate
 * chain of one or more {@code -----BEGIN CERTIFICATE-----} blocks, leaf first, and an unencrypted
 * PKCS#8 private key {@code -----BEGIN PRIVATE KEY-----} (EC or RSA). Traditional
 * {@code BEGIN EC/RSA PRIVATE KEY} files are refused with a hint to convert them.
 */
public final class PemTls {

    private static final Pattern PRIVATE_KEY = Pattern.compile(
            "-----BEGIN PRIVATE KEY-----([A-Za-z0-9+/=\\s]+)-----END PRIVATE KEY-----");
    private static final Pattern LEGACY_KEY = Pattern.compile("-----BEGIN (EC|RSA|ENCRYPTED) PRIVATE KEY-----");
    private static final char[] NO_PASSWORD = new char[0];

    private PemTls() {
    }

    /**
     * A TLS server context presenting {@code certPem}'s chain with {@code keyPem}'s key.
     *
     * @throws RtcatException USAGE naming the file if a file cannot be read or parsed, or the key
     *                        does not fit the certificate
     */
    public static SSLContext serverContext(Path certPem, Path keyPem) throws RtcatException {
        List<X509Certificate> chain = readCertificates(certPem);
        PrivateKey key = readPrivateKey(keyPem);
        if (!key.getAlgorithm().equals(chain.get(0).getPublicKey().getAlgorithm())) {
            throw new RtcatException(RtcatException.Kind.USAGE, "tls key " + keyPem + " is " + key.getAlgorithm()
                    + " but the certificate in " + certPem + " has a " + chain.get(0).getPublicKey().getAlgorithm()
                    + " public key", "pass the key that belongs to the certificate");
        }
        try {
            KeyStore ks = KeyStore.getInstance("PKCS12");
            ks.load(null, null);
            ks.setKeyEntry("server", key, NO_PASSWORD, chain.toArray(new Certificate[0]));
            KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            kmf.init(ks, NO_PASSWORD);
            SSLContext ctx = SSLContext.getInstance("TLS");
            ctx.init(kmf.getKeyManagers(), null, null);
            return ctx;
        } catch (GeneralSecurityException | IOException e) {
            throw new RtcatException(RtcatException.Kind.USAGE, "cannot use tls certificate " + certPem
                    + " with key " + keyPem + ": " + oneLine(e), null, e);
        }
    }

    /** A TLS client context that trusts exactly the certificates in {@code certPem} (e.g. a private CA). */
    public static SSLContext clientContextTrusting(Path certPem) throws RtcatException {
        List<X509Certificate> certs = readCertificates(certPem);
        try {
            KeyStore ks = KeyStore.getInstance("PKCS12");
            ks.load(null, null);
            for (int i = 0; i < certs.size(); i++) {
                ks.setCertificateEntry("trusted-" + i, certs.get(i));
            }
            TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(ks);
            SSLContext ctx = SSLContext.getInstance("TLS");
            ctx.init(null, tmf.getTrustManagers(), null);
            return ctx;
        } catch (GeneralSecurityException | IOException e) {
            throw new RtcatException(RtcatException.Kind.USAGE, "cannot trust certificates in " + certPem + ": "
                    + oneLine(e), null, e);
        }
    }

    static List<X509Certificate> readCertificates(Path certPem) throws RtcatException {
        String text = readText(certPem, "tls certificate");
        if (!text.contains("-----BEGIN CERTIFICATE-----")) {
            throw new RtcatException(RtcatException.Kind.USAGE, "invalid tls certificate " + certPem
                    + ": no -----BEGIN CERTIFICATE----- block", "pass a PEM certificate (chain), leaf first");
        }
        try {
            CertificateFactory cf = CertificateFactory.getInstance("X.509");
            Collection<? extends Certificate> all = cf.generateCertificates(
                    new ByteArrayInputStream(text.getBytes(StandardCharsets.US_ASCII)));
            List<X509Certificate> out = new ArrayList<>();
            for (Certificate c : all) {
                out.add((X509Certificate) c);
            }
            if (out.isEmpty()) {
                throw new CertificateException("no certificate found");
            }
            return out;
        } catch (CertificateException | RuntimeException e) {
            throw new RtcatException(RtcatException.Kind.USAGE, "invalid tls certificate " + certPem + ": "
                    + oneLine(e), "pass a PEM certificate (chain), leaf first", e);
        }
    }

    static PrivateKey readPrivateKey(Path keyPem) throws RtcatException {
        String text = readText(keyPem, "tls key");
        Matcher m = PRIVATE_KEY.matcher(text);
        if (!m.find()) {
            Matcher legacy = LEGACY_KEY.matcher(text);
            String what = legacy.find() ? "a " + legacy.group(1) + " PRIVATE KEY block (not unencrypted PKCS#8)"
                    : "no -----BEGIN PRIVATE KEY----- block";
            throw new RtcatException(RtcatException.Kind.USAGE, "invalid tls key " + keyPem + ": " + what,
                    "convert it with: openssl pkcs8 -topk8 -nocrypt -in " + keyPem + " -out key.pem");
        }
        byte[] der;
        try {
            der = Base64.getMimeDecoder().decode(m.group(1).replaceAll("\\s", ""));
        } catch (IllegalArgumentException e) {
            throw new RtcatException(RtcatException.Kind.USAGE, "invalid tls key " + keyPem + ": bad base64");
        }
        PKCS8EncodedKeySpec spec = new PKCS8EncodedKeySpec(der);
        for (String alg : List.of("EC", "RSA")) {
            try {
                return KeyFactory.getInstance(alg).generatePrivate(spec);
            } catch (InvalidKeySpecException | java.security.NoSuchAlgorithmException | RuntimeException e) {
                // try the next algorithm
            }
        }
        throw new RtcatException(RtcatException.Kind.USAGE, "invalid tls key " + keyPem
                + ": not an EC or RSA PKCS#8 private key");
    }

    private static String readText(Path file, String what) throws RtcatException {
        try {
            return Files.readString(file, StandardCharsets.ISO_8859_1);
        } catch (IOException | SecurityException e) {
            throw new RtcatException(RtcatException.Kind.USAGE, "cannot read " + what + " " + file + ": "
                    + oneLine(e), null, e);
        }
    }

    private static String oneLine(Exception e) {
        String m = e.getMessage();
        if (m == null || m.isBlank()) {
            return e.getClass().getSimpleName();
        }
        return m.replaceAll("\\s+", " ").trim();
    }
}
