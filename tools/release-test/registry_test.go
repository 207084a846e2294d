package main

import (
	"archive/zip"
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/ProtonMail/go-crypto/openpgp"
	"github.com/ProtonMail/go-crypto/openpgp/armor"
	"github.com/ProtonMail/go-crypto/openpgp/packet"
)

const (
	testVersion = "1.2.3-SNAPSHOT-abc1234"
	testPrefix  = "terraform-provider-vpnresellers_" + testVersion
	testZip     = testPrefix + "_linux_amd64.zip"
	testSums    = testPrefix + "_SHA256SUMS"
	testMan     = testPrefix + "_manifest.json"
	testBinary  = "terraform-provider-vpnresellers_v" + testVersion
)

var (
	keyOnce   sync.Once
	testKey   *openpgp.Entity
	testArmor []byte
)

// signingKey is a key made once per test run (EdDSA: quick to make).
func signingKey(t *testing.T) (*openpgp.Entity, []byte) {
	t.Helper()
	keyOnce.Do(func() {
		e, err := openpgp.NewEntity("release-test", "", "release-test@invalid", &packet.Config{Algorithm: packet.PubKeyAlgoEdDSA})
		if err != nil {
			panic(err)
		}
		var buf bytes.Buffer
		w, err := armor.Encode(&buf, openpgp.PublicKeyType, nil)
		if err != nil {
			panic(err)
		}
		if err := e.Serialize(w); err != nil {
			panic(err)
		}
		if err := w.Close(); err != nil {
			panic(err)
		}
		testKey, testArmor = e, buf.Bytes()
	})
	return testKey, testArmor
}

// fixture is a release directory as goreleaser and collectAssets make it.
type fixture struct {
	dir string
	// files by name; SHA256SUMS lists sums (all files but itself and the
	// signature, unless changed), and the signature signs signed.
	files  map[string][]byte
	sums   []string
	signed string
	// phantom are names SHA256SUMS lists, with a made-up hash, that are
	// not among the files.
	phantom []string
}

func newFixture(t *testing.T) *fixture {
	f := &fixture{dir: t.TempDir(), files: map[string][]byte{}}
	f.files[testZip] = zipOf(t, map[string]string{testBinary: "#!binary\n", "LICENSE": "MPL\n"})
	f.files[testMan] = []byte(`{"version": 1, "metadata": {"protocol_versions": ["6.0"]}}` + "\n")
	f.sums = []string{testMan, testZip}
	f.signed = testSums
	return f
}

// write lays the fixture out and returns the directory.
func (f *fixture) write(t *testing.T) string {
	t.Helper()
	var sums strings.Builder
	for _, n := range f.sums {
		fmt.Fprintf(&sums, "%x  %s\n", sha256.Sum256(f.files[n]), n)
	}
	for _, n := range f.phantom {
		fmt.Fprintf(&sums, "%x  %s\n", sha256.Sum256([]byte(n)), n)
	}
	f.files[testSums] = []byte(sums.String())
	key, _ := signingKey(t)
	var sig bytes.Buffer
	if err := openpgp.DetachSign(&sig, key, bytes.NewReader(f.files[f.signed]), nil); err != nil {
		t.Fatal(err)
	}
	f.files[testSums+".sig"] = sig.Bytes()
	for n, b := range f.files {
		if err := os.WriteFile(filepath.Join(f.dir, n), b, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return f.dir
}

func zipOf(t *testing.T, files map[string]string) []byte {
	t.Helper()
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for n, content := range files {
		w, err := zw.Create(n)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := io.WriteString(w, content); err != nil {
			t.Fatal(err)
		}
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func load(t *testing.T, dir string) (*release, error) {
	_, pub := signingKey(t)
	return loadRelease(dir, "vpnresellers", "vpnresellers", pub)
}

func get(t *testing.T, srv *httptest.Server, path string) []byte {
	t.Helper()
	resp, err := srv.Client().Get(srv.URL + path)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("GET %s: %s: %s", path, resp.Status, b)
	}
	return b
}

func TestRegistry_servesTheReleaseThroughTheProtocol(t *testing.T) {
	f := newFixture(t)
	rel, err := load(t, f.write(t))
	if err != nil {
		t.Fatal(err)
	}
	key, pub := signingKey(t)
	srv := httptest.NewTLSServer(rel.handler(t.Logf))
	defer srv.Close()

	var disco map[string]string
	if err := json.Unmarshal(get(t, srv, "/.well-known/terraform.json"), &disco); err != nil {
		t.Fatal(err)
	}
	if disco["providers.v1"] != "/v1/providers/" {
		t.Errorf("discovery = %v", disco)
	}

	var versions struct {
		ID       string `json:"id"`
		Versions []struct {
			Version   string              `json:"version"`
			Protocols []string            `json:"protocols"`
			Platforms []map[string]string `json:"platforms"`
		} `json:"versions"`
	}
	if err := json.Unmarshal(get(t, srv, "/v1/providers/vpnresellers/vpnresellers/versions"), &versions); err != nil {
		t.Fatal(err)
	}
	if versions.ID != "vpnresellers/vpnresellers" || len(versions.Versions) != 1 {
		t.Fatalf("versions = %+v", versions)
	}
	v := versions.Versions[0]
	if v.Version != testVersion || fmt.Sprint(v.Protocols) != "[6.0]" || fmt.Sprint(v.Platforms) != "[map[arch:amd64 os:linux]]" {
		t.Errorf("version = %+v", v)
	}

	var dl struct {
		Protocols   []string `json:"protocols"`
		OS          string   `json:"os"`
		Arch        string   `json:"arch"`
		Filename    string   `json:"filename"`
		DownloadURL string   `json:"download_url"`
		SumsURL     string   `json:"shasums_url"`
		SigURL      string   `json:"shasums_signature_url"`
		SHA256      string   `json:"shasum"`
		SigningKeys struct {
			GPG []struct {
				KeyID      string `json:"key_id"`
				ASCIIArmor string `json:"ascii_armor"`
			} `json:"gpg_public_keys"`
		} `json:"signing_keys"`
	}
	if err := json.Unmarshal(get(t, srv, "/v1/providers/vpnresellers/vpnresellers/"+testVersion+"/download/linux/amd64"), &dl); err != nil {
		t.Fatal(err)
	}
	zipSum := sha256.Sum256(f.files[testZip])
	if dl.OS != "linux" || dl.Arch != "amd64" || dl.Filename != testZip || dl.SHA256 != hex.EncodeToString(zipSum[:]) || fmt.Sprint(dl.Protocols) != "[6.0]" {
		t.Errorf("download = %+v", dl)
	}
	if len(dl.SigningKeys.GPG) != 1 || dl.SigningKeys.GPG[0].KeyID != key.PrimaryKey.KeyIdString() || dl.SigningKeys.GPG[0].ASCIIArmor != string(pub) {
		t.Errorf("signing keys = %+v", dl.SigningKeys)
	}
	for url, want := range map[string][]byte{dl.DownloadURL: f.files[testZip], dl.SumsURL: f.files[testSums], dl.SigURL: f.files[testSums+".sig"]} {
		if got := get(t, srv, strings.TrimPrefix(url, srv.URL)); !bytes.Equal(got, want) {
			t.Errorf("%s served %d bytes that differ from the asset", url, len(got))
		}
	}

	// Unknown provider, version or platform: 404, as Terraform expects.
	for _, p := range []string{
		"/v1/providers/other/vpnresellers/versions",
		"/v1/providers/vpnresellers/vpnresellers/9.9.9/download/linux/amd64",
		"/v1/providers/vpnresellers/vpnresellers/" + testVersion + "/download/darwin/arm64",
		"/files/nothing.zip",
	} {
		resp, err := srv.Client().Get(srv.URL + p)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != http.StatusNotFound {
			t.Errorf("GET %s: %s, want 404", p, resp.Status)
		}
	}
}

func TestRegistry_tamperedViewChangesOnlyTheZip(t *testing.T) {
	f := newFixture(t)
	rel, err := load(t, f.write(t))
	if err != nil {
		t.Fatal(err)
	}
	var logged []string
	srv := httptest.NewTLSServer(rel.handler(func(format string, args ...any) { logged = append(logged, fmt.Sprintf(format, args...)) }))
	defer srv.Close()

	genuine := get(t, srv, "/v1/providers/vpnresellers/vpnresellers/"+testVersion+"/download/linux/amd64")
	tamperedDoc := get(t, srv, "/tampered/v1/providers/vpnresellers/vpnresellers/"+testVersion+"/download/linux/amd64")
	if want := bytes.Replace(genuine, []byte("/files/"+testZip), []byte("/tampered/files/"+testZip), 1); !bytes.Equal(tamperedDoc, want) {
		t.Errorf("the tampered view's download document differs from the genuine one in more than download_url:\n%s\n%s", genuine, tamperedDoc)
	}
	// Terraform asks with HEAD first: that is not a download.
	head, err := srv.Client().Head(srv.URL + "/tampered/files/" + testZip)
	if err != nil {
		t.Fatal(err)
	}
	head.Body.Close()
	if head.StatusCode != http.StatusOK || head.ContentLength <= 0 {
		t.Errorf("HEAD: %s, Content-Length %d", head.Status, head.ContentLength)
	}
	got := get(t, srv, "/tampered/files/"+testZip)
	if sha256.Sum256(got) == sha256.Sum256(f.files[testZip]) {
		t.Fatal("the tampered zip has the genuine checksum")
	}
	zr, err := zip.NewReader(bytes.NewReader(got), int64(len(got)))
	if err != nil {
		t.Fatalf("the tampered zip is not a zip: %v", err)
	}
	contents := map[string]string{}
	for _, zf := range zr.File {
		rc, err := zf.Open()
		if err != nil {
			t.Fatal(err)
		}
		b, err := io.ReadAll(rc)
		rc.Close()
		if err != nil {
			t.Fatal(err)
		}
		contents[zf.Name] = string(b)
	}
	if contents["LICENSE"] != "MPL\n" || !strings.HasPrefix(contents[testBinary], "#!binary\n") || contents[testBinary] == "#!binary\n" || len(contents) != 2 {
		t.Errorf("tampered zip contents = %q", contents)
	}
	n := 0
	for _, l := range logged {
		if strings.Contains(l, "TAMPERED") {
			n++
		}
	}
	if n != 1 {
		t.Errorf("%d TAMPERED log lines, want 1: %q", n, logged)
	}
	if _, err := srv.Client().Get(srv.URL + "/tampered/files/" + testSums); err != nil {
		t.Fatal(err)
	}
}

// What the Registry refuses when a release is published is refused here,
// with the reason.
func TestLoadRelease_refusesWhatTheRegistryWouldRefuse(t *testing.T) {
	for _, tc := range []struct {
		name   string
		change func(f *fixture)
		want   string
	}{
		{"zip missing from SHA256SUMS", func(f *fixture) { f.sums = []string{testMan} }, "does not list " + testZip},
		{"manifest missing from SHA256SUMS", func(f *fixture) { f.sums = []string{testZip} }, "does not list " + testMan},
		{"signature over another file", func(f *fixture) { f.signed = testMan }, "is not a valid detached signature"},
		{"archive named with a dash", func(f *fixture) {
			f.files[testPrefix+"_linux-amd64.zip"] = f.files[testZip]
			delete(f.files, testZip)
			f.sums = []string{testMan, testPrefix + "_linux-amd64.zip"}
		}, "is not named " + testPrefix + "_OS_ARCH.zip"},
		{"archive without the version", func(f *fixture) {
			f.files["terraform-provider-vpnresellers_linux_amd64.zip"] = f.files[testZip]
			delete(f.files, testZip)
			f.sums = []string{testMan, "terraform-provider-vpnresellers_linux_amd64.zip"}
		}, "is not named " + testPrefix + "_OS_ARCH.zip"},
		{"listed zip not published", func(f *fixture) {
			f.phantom = []string{testPrefix + "_darwin_arm64.zip"}
		}, "lists " + testPrefix + "_darwin_arm64.zip, which is not among the assets"},
		{"manifest without protocols", func(f *fixture) { f.files[testMan] = []byte(`{"version": 1}`) }, "want version 1 and metadata.protocol_versions"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			f := newFixture(t)
			tc.change(f)
			_, err := load(t, f.write(t))
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("err = %v, want %q", err, tc.want)
			}
		})
	}
}

func TestLoadRelease_withoutManifestAssumesProtocol5(t *testing.T) {
	f := newFixture(t)
	delete(f.files, testMan)
	f.sums = []string{testZip}
	rel, err := load(t, f.write(t))
	if err != nil {
		t.Fatal(err)
	}
	if fmt.Sprint(rel.Protocols) != "[5.0]" || len(rel.Warnings) != 1 || !strings.Contains(rel.Warnings[0], "protocol 5") {
		t.Errorf("protocols %v, warnings %q", rel.Protocols, rel.Warnings)
	}
}

func TestLoadRelease_refusesAVersionTerraformCannotParse(t *testing.T) {
	dir := t.TempDir()
	for _, n := range []string{"terraform-provider-vpnresellers_v1.0_SHA256SUMS", "terraform-provider-vpnresellers_v1.0_SHA256SUMS.sig"} {
		if err := os.WriteFile(filepath.Join(dir, n), []byte("x"), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := load(t, dir); err == nil || !strings.Contains(err.Error(), `version "v1.0" is not a semantic version`) {
		t.Errorf("err = %v", err)
	}
}
