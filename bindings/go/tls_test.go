package campaign_test

import (
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"errors"
	"math/big"
	"net"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"campaign.example/campaign"
)

// testCA is a certificate authority made for one test.
type testCA struct {
	cert *x509.Certificate
	key  *ecdsa.PrivateKey
	file string // the CA certificate as PEM
}

func writePEM(t *testing.T, path, typ string, der []byte) {
	t.Helper()
	if err := os.WriteFile(path, pem.EncodeToMemory(&pem.Block{Type: typ, Bytes: der}), 0o600); err != nil {
		t.Fatal(err)
	}
}

func newTestCA(t *testing.T, name string) testCA {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{
		SerialNumber:          big.NewInt(time.Now().UnixNano()),
		Subject:               pkix.Name{CommonName: name, Organization: []string{"campaign tests"}},
		NotBefore:             time.Now().Add(-time.Hour),
		NotAfter:              time.Now().Add(24 * time.Hour),
		IsCA:                  true,
		BasicConstraintsValid: true,
		KeyUsage:              x509.KeyUsageCertSign | x509.KeyUsageCRLSign,
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	cert, err := x509.ParseCertificate(der)
	if err != nil {
		t.Fatal(err)
	}
	ca := testCA{cert: cert, key: key, file: filepath.Join(t.TempDir(), "ca.pem")}
	writePEM(t, ca.file, "CERTIFICATE", der)
	return ca
}

// leaf issues a server certificate for these names (DNS names or IPs) and
// returns the certificate and key files.
func (ca testCA) leaf(t *testing.T, names ...string) (certFile, keyFile string) {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{
		SerialNumber: big.NewInt(time.Now().UnixNano()),
		Subject:      pkix.Name{CommonName: names[0]},
		NotBefore:    time.Now().Add(-time.Hour),
		NotAfter:     time.Now().Add(24 * time.Hour),
		KeyUsage:     x509.KeyUsageDigitalSignature,
		ExtKeyUsage:  []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
	}
	for _, n := range names {
		if ip := net.ParseIP(n); ip != nil {
			tmpl.IPAddresses = append(tmpl.IPAddresses, ip)
		} else {
			tmpl.DNSNames = append(tmpl.DNSNames, n)
		}
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, ca.cert, &key.PublicKey, ca.key)
	if err != nil {
		t.Fatal(err)
	}
	pkcs8, err := x509.MarshalPKCS8PrivateKey(key)
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	certFile, keyFile = filepath.Join(dir, "cert.pem"), filepath.Join(dir, "key.pem")
	writePEM(t, certFile, "CERTIFICATE", der)
	writePEM(t, keyFile, "PRIVATE KEY", pkcs8)
	return certFile, keyFile
}

// hashedDir makes an OpenSSL CA directory holding ca: <subject hash>.0.
func (ca testCA) hashedDir(t *testing.T) string {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	out, err := exec.CommandContext(ctx, "openssl", "x509", "-hash", "-noout", "-in", ca.file).Output()
	if err != nil {
		t.Fatalf("openssl x509 -hash (needed for the CA directory): %v", err)
	}
	data, err := os.ReadFile(ca.file)
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, strings.TrimSpace(string(out))+".0"), data, 0o600); err != nil {
		t.Fatal(err)
	}
	return dir
}

// startTLSMock serves HTTPS with this certificate and logs requests. The
// base URL is https://HOST:PORT/v1 for the host asked for.
func startTLSMock(t *testing.T, certFile, keyFile string) (m mock, port string) {
	t.Helper()
	m = startMockLogged(t, true, "--tls-cert", certFile, "--tls-key", keyFile)
	u, err := url.Parse(m.base)
	if err != nil || u.Scheme != "https" {
		t.Fatalf("the TLS mock serves %q", m.base)
	}
	return m, u.Port()
}

func baseFor(host, port string) string { return "https://" + net.JoinHostPort(host, port) + "/v1" }

// fetchOnce makes one Get with a fresh client and no retries.
func fetchOnce(t *testing.T, base string, opts ...campaign.Option) (*campaign.Campaign, error) {
	t.Helper()
	c := newClient(t, base, append([]campaign.Option{campaign.WithMaxRetries(0)}, opts...)...)
	return get(t, context.Background(), c, "cmp_000007")
}

func wantTLSError(t *testing.T, what string, err error) {
	t.Helper()
	var e *campaign.Error
	if !errors.Is(err, campaign.ErrTLS) || !errors.As(err, &e) || e.Kind != "tls" {
		t.Errorf("%s: got %v (kind %s), want a tls error", what, err, kindOf(err))
	}
}

// HTTPS end to end against the mock: verification with a CA file and a CA
// directory, SNI, and refusals (wrong host, unknown CA) before any request.
func TestHTTPS(t *testing.T) {
	ca := newTestCA(t, "campaign test CA")
	cert, certKey := ca.leaf(t, "localhost", "127.0.0.1")
	m, port := startTLSMock(t, cert, certKey)
	localhost := baseFor("localhost", port)

	// requestsSoFar is how many requests the mock must have logged: failed
	// handshakes add none, so no key ever crossed an unverified connection.
	requestsSoFar := 0
	expect := func(t *testing.T, what string, added int) []logEntry {
		t.Helper()
		requestsSoFar += added
		got := m.requests(t)
		if len(got) != requestsSoFar {
			t.Fatalf("%s: the mock logged %d requests, want %d", what, len(got), requestsSoFar)
		}
		return got
	}

	t.Run("CAFile", func(t *testing.T) {
		got, err := fetchOnce(t, localhost, campaign.WithCAFile(ca.file))
		if err != nil || got.ID != "cmp_000007" {
			t.Fatalf("got %v, %v", got, err)
		}
		log := expect(t, "CA file", 1)
		last := log[len(log)-1]
		if last.ServerName != "localhost" {
			t.Errorf("SNI %q, want the base URL's host %q", last.ServerName, "localhost")
		}
		if last.Target != "/v1/campaigns/cmp_000007" || last.header("Authorization") != "Bearer "+key {
			t.Errorf("request %+v", last)
		}
	})
	t.Run("CADir", func(t *testing.T) {
		got, err := fetchOnce(t, localhost, campaign.WithCADir(ca.hashedDir(t)))
		if err != nil || got.ID != "cmp_000007" {
			t.Fatalf("got %v, %v", got, err)
		}
		if log := expect(t, "CA dir", 1); log[len(log)-1].ServerName != "localhost" {
			t.Errorf("SNI %q, want %q", log[len(log)-1].ServerName, "localhost")
		}
	})
	t.Run("IPLiteral", func(t *testing.T) {
		// Verified against the IP SAN; RFC 6066 sends no SNI for an IP.
		got, err := fetchOnce(t, baseFor("127.0.0.1", port), campaign.WithCAFile(ca.file))
		if err != nil || got.ID != "cmp_000007" {
			t.Fatalf("got %v, %v", got, err)
		}
		if log := expect(t, "IP literal", 1); log[len(log)-1].ServerName != "" {
			t.Errorf("SNI %q sent for an IP literal", log[len(log)-1].ServerName)
		}
	})
	t.Run("UnknownCA", func(t *testing.T) {
		other := newTestCA(t, "another test CA")
		_, err := fetchOnce(t, localhost, campaign.WithCAFile(other.file))
		wantTLSError(t, "another CA file", err)
		_, err = fetchOnce(t, localhost, campaign.WithCADir(other.hashedDir(t)))
		wantTLSError(t, "another CA dir", err)
		_, err = fetchOnce(t, localhost) // the system store does not know the test CA
		wantTLSError(t, "system store", err)
		expect(t, "unknown CA", 0)
	})
	t.Run("WrongHost", func(t *testing.T) {
		// Issued by the trusted CA, but for another name.
		cert, certKey := ca.leaf(t, "other.example")
		wrong, port := startTLSMock(t, cert, certKey)
		for _, host := range []string{"localhost", "127.0.0.1"} {
			_, err := fetchOnce(t, baseFor(host, port), campaign.WithCAFile(ca.file))
			wantTLSError(t, "certificate for other.example at "+host, err)
		}
		if got := wrong.requests(t); len(got) != 0 {
			t.Errorf("the wrong-host mock logged %d requests", len(got))
		}
	})
}
