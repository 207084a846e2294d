package main

import (
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"errors"
	"flag"
	"fmt"
	"io"
	"log"
	"math/big"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"time"
)

func serve(ctx context.Context, fs *flag.FlagSet, args []string, stderr io.Writer) error {
	assets := fs.String("assets", "", "directory of the release assets (see the assets command)")
	keyFile := fs.String("key", "", "ASCII-armoured public key the checksums are signed with")
	state := fs.String("state", "", "directory to write ca.pem, version and url into")
	addr := fs.String("addr", "127.0.0.1:0", "loopback address to listen on")
	namespace := fs.String("namespace", "vpnresellers", "provider namespace")
	typ := fs.String("type", "vpnresellers", "provider type")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if *assets == "" || *keyFile == "" || *state == "" {
		return errors.New("serve: -assets, -key and -state are required")
	}
	host, _, err := net.SplitHostPort(*addr)
	if err != nil {
		return err
	}
	if ip := net.ParseIP(host); ip == nil || !ip.IsLoopback() {
		return fmt.Errorf("serve: %s is not a loopback address", *addr)
	}
	logger := log.New(stderr, "registry: ", log.Ltime|log.Lmicroseconds)

	key, err := os.ReadFile(*keyFile)
	if err != nil {
		return err
	}
	rel, err := loadRelease(*assets, *namespace, *typ, key)
	if err != nil {
		return fmt.Errorf("the Registry would refuse this release: %w", err)
	}
	logger.Printf("release %s/%s %s: protocols %v, platforms %v, checksums signed by key %s",
		rel.Namespace, rel.Type, rel.Version, rel.Protocols, rel.platforms(), rel.KeyID)
	for _, w := range rel.Warnings {
		logger.Printf("WARNING: %s", w)
	}

	caPEM, cert, err := newCertificate(time.Now())
	if err != nil {
		return err
	}
	ln, err := net.Listen("tcp", *addr)
	if err != nil {
		return err
	}
	ln = tls.NewListener(ln, &tls.Config{Certificates: []tls.Certificate{cert}, MinVersion: tls.VersionTLS12})
	srv := &http.Server{
		Handler:           rel.handler(logger.Printf),
		ReadHeaderTimeout: 10 * time.Second,
		ErrorLog:          logger,
	}
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()

	url := "https://" + ln.Addr().String()
	for _, f := range []struct{ name, content string }{
		{"ca.pem", string(caPEM)},
		{"version", rel.Version + "\n"},
		{"url", url + "\n"}, // last: the script waits for it
	} {
		if err := os.WriteFile(filepath.Join(*state, f.name), []byte(f.content), 0o644); err != nil {
			_ = srv.Close()
			return err
		}
	}
	logger.Printf("serving the provider registry protocol at %s", url)

	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	shutdownCtx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	return srv.Shutdown(shutdownCtx)
}

// newCertificate makes a certificate authority and, signed by it, a server
// certificate for the loopback addresses, both valid for a day. It returns
// the authority's certificate (PEM), for clients to trust, and the server's
// certificate with its key, which never leaves memory.
func newCertificate(now time.Time) ([]byte, tls.Certificate, error) {
	serial := func() (*big.Int, error) { return rand.Int(rand.Reader, new(big.Int).Lsh(big.NewInt(1), 127)) }
	caKey, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		return nil, tls.Certificate{}, err
	}
	caSerial, err := serial()
	if err != nil {
		return nil, tls.Certificate{}, err
	}
	caTmpl := &x509.Certificate{
		SerialNumber:          caSerial,
		Subject:               pkix.Name{CommonName: "release-test throwaway CA"},
		NotBefore:             now.Add(-time.Hour),
		NotAfter:              now.Add(24 * time.Hour),
		IsCA:                  true,
		BasicConstraintsValid: true,
		MaxPathLenZero:        true,
		KeyUsage:              x509.KeyUsageCertSign,
	}
	caDER, err := x509.CreateCertificate(rand.Reader, caTmpl, caTmpl, &caKey.PublicKey, caKey)
	if err != nil {
		return nil, tls.Certificate{}, err
	}
	ca, err := x509.ParseCertificate(caDER)
	if err != nil {
		return nil, tls.Certificate{}, err
	}
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		return nil, tls.Certificate{}, err
	}
	leafSerial, err := serial()
	if err != nil {
		return nil, tls.Certificate{}, err
	}
	leafTmpl := &x509.Certificate{
		SerialNumber: leafSerial,
		Subject:      pkix.Name{CommonName: "127.0.0.1"},
		DNSNames:     []string{"localhost"},
		IPAddresses:  []net.IP{net.IPv4(127, 0, 0, 1), net.IPv6loopback},
		NotBefore:    now.Add(-time.Hour),
		NotAfter:     now.Add(24 * time.Hour),
		KeyUsage:     x509.KeyUsageDigitalSignature,
		ExtKeyUsage:  []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
	}
	leafDER, err := x509.CreateCertificate(rand.Reader, leafTmpl, ca, &key.PublicKey, caKey)
	if err != nil {
		return nil, tls.Certificate{}, err
	}
	caPEM := pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: caDER})
	return caPEM, tls.Certificate{Certificate: [][]byte{leafDER}, PrivateKey: key}, nil
}

// fetch writes what url serves to w, trusting only the CA in caFile and
// never a proxy.
func fetch(ctx context.Context, caFile, url string, w io.Writer) error {
	caPEM, err := os.ReadFile(caFile)
	if err != nil {
		return err
	}
	pool := x509.NewCertPool()
	if !pool.AppendCertsFromPEM(caPEM) {
		return fmt.Errorf("%s: no PEM certificate", caFile)
	}
	client := &http.Client{
		Transport: &http.Transport{Proxy: nil, TLSClientConfig: &tls.Config{RootCAs: pool, MinVersion: tls.VersionTLS12}},
		Timeout:   30 * time.Second,
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
	if err != nil {
		return err
	}
	resp, err := client.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		body, _ := io.ReadAll(io.LimitReader(resp.Body, 512))
		return fmt.Errorf("GET %s: %s: %s", url, resp.Status, strings.TrimSpace(string(body)))
	}
	_, err = io.Copy(w, resp.Body)
	return err
}
