package main

import (
	"archive/zip"
	"bufio"
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"

	"github.com/ProtonMail/go-crypto/openpgp"
)

// semver is the version syntax of semver.org, which Terraform requires.
var semver = regexp.MustCompile(`^(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)` +
	`(?:-((?:0|[1-9]\d*|\d*[a-zA-Z-][0-9a-zA-Z-]*)(?:\.(?:0|[1-9]\d*|\d*[a-zA-Z-][0-9a-zA-Z-]*))*))?` +
	`(?:\+([0-9a-zA-Z-]+(?:\.[0-9a-zA-Z-]+)*))?$`)

type platform struct{ OS, Arch string }

// release is one provider version, as a registry serves it.
type release struct {
	Namespace, Type, Version string
	// Protocols as the manifest declares them; ["5.0"] without a manifest,
	// which is what the Terraform Registry assumes then.
	Protocols []string
	KeyID     string
	KeyArmor  string
	SumsName  string
	SigName   string
	// Zips by platform: file name and SHA-256 (hex) from SHA256SUMS.
	Zips map[platform]zipAsset
	// Files are every asset served under /files/, by name.
	Files map[string]string
	// Warnings are what the Registry would accept but users may regret.
	Warnings []string

	mu       sync.Mutex
	tampered map[string][]byte
}

type zipAsset struct{ Name, SHA256 string }

// loadRelease reads the release assets in dir (as collectAssets lays them
// out) and checks them the way the Terraform Registry does when a version is
// published, so that what would be refused there is refused here, with the
// reason:
//
//   - one terraform-provider-TYPE_VERSION_SHA256SUMS, VERSION in semver, with
//     its .sig beside it, a detached binary signature of exactly that file by
//     the one key in keyArmor;
//   - archives named terraform-provider-TYPE_VERSION_OS_ARCH.zip, at least
//     one, each listed in SHA256SUMS with its own hash, and every zip
//     SHA256SUMS lists present;
//   - the manifest terraform-provider-TYPE_VERSION_manifest.json, when
//     present, listed in SHA256SUMS with its hash, with metadata.protocol_versions.
func loadRelease(dir, namespace, typ string, keyArmor []byte) (*release, error) {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return nil, err
	}
	prefix := "terraform-provider-" + typ + "_"
	var names []string
	for _, e := range entries {
		if e.Type().IsRegular() {
			names = append(names, e.Name())
		}
	}
	var sumsNames []string
	for _, n := range names {
		if strings.HasPrefix(n, prefix) && strings.HasSuffix(n, "_SHA256SUMS") {
			sumsNames = append(sumsNames, n)
		}
	}
	if len(sumsNames) != 1 {
		return nil, fmt.Errorf("want exactly one %sVERSION_SHA256SUMS among the assets %v, found %d", prefix, names, len(sumsNames))
	}
	r := &release{
		Namespace: namespace,
		Type:      typ,
		KeyArmor:  string(keyArmor),
		SumsName:  sumsNames[0],
		SigName:   sumsNames[0] + ".sig",
		Zips:      map[platform]zipAsset{},
		Files:     map[string]string{},
		tampered:  map[string][]byte{},
	}
	r.Version = strings.TrimSuffix(strings.TrimPrefix(r.SumsName, prefix), "_SHA256SUMS")
	if !semver.MatchString(r.Version) {
		return nil, fmt.Errorf("%s: version %q is not a semantic version, which Terraform requires", r.SumsName, r.Version)
	}
	path := func(n string) string { return filepath.Join(dir, n) }

	sums, err := os.ReadFile(path(r.SumsName))
	if err != nil {
		return nil, err
	}
	sig, err := os.ReadFile(path(r.SigName))
	if err != nil {
		return nil, fmt.Errorf("no signature of the checksums: %w", err)
	}
	keyring, err := openpgp.ReadArmoredKeyRing(bytes.NewReader(keyArmor))
	if err != nil {
		return nil, fmt.Errorf("signing key: %w", err)
	}
	if len(keyring) != 1 {
		return nil, fmt.Errorf("signing key: want one ASCII-armoured public key, found %d", len(keyring))
	}
	r.KeyID = keyring[0].PrimaryKey.KeyIdString()
	if _, err := openpgp.CheckDetachedSignature(keyring, bytes.NewReader(sums), bytes.NewReader(sig), nil); err != nil {
		return nil, fmt.Errorf("%s is not a valid detached signature of %s by key %s: %w", r.SigName, r.SumsName, r.KeyID, err)
	}
	listed, err := parseSums(sums)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", r.SumsName, err)
	}
	r.Files[r.SumsName] = path(r.SumsName)
	r.Files[r.SigName] = path(r.SigName)

	// Every file the checksums name must be an asset with that hash.
	checkListed := func(n string) error {
		want, ok := listed[n]
		if !ok {
			return fmt.Errorf("%s does not list %s", r.SumsName, n)
		}
		got, err := fileSHA256(path(n))
		if err != nil {
			return err
		}
		if got != want {
			return fmt.Errorf("%s lists %s with SHA-256 %s, but the file's is %s", r.SumsName, n, want, got)
		}
		return nil
	}
	zipPrefix := prefix + r.Version + "_"
	for _, n := range names {
		if !strings.HasSuffix(n, ".zip") {
			continue
		}
		osArch, ok := strings.CutPrefix(strings.TrimSuffix(n, ".zip"), zipPrefix)
		goos, arch, ok2 := strings.Cut(osArch, "_")
		if !ok || !ok2 || goos == "" || arch == "" || strings.Contains(arch, "_") {
			return nil, fmt.Errorf("archive %s is not named %sOS_ARCH.zip, the name the Registry requires", n, zipPrefix)
		}
		if err := checkListed(n); err != nil {
			return nil, err
		}
		r.Zips[platform{goos, arch}] = zipAsset{Name: n, SHA256: listed[n]}
		r.Files[n] = path(n)
	}
	if len(r.Zips) == 0 {
		return nil, fmt.Errorf("no archive named %sOS_ARCH.zip among the assets %v", zipPrefix, names)
	}
	for n := range listed {
		if _, ok := r.Files[n]; strings.HasSuffix(n, ".zip") && !ok {
			return nil, fmt.Errorf("%s lists %s, which is not among the assets", r.SumsName, n)
		}
	}

	manifest := prefix + r.Version + "_manifest.json"
	if slices.Contains(names, manifest) {
		if err := checkListed(manifest); err != nil {
			return nil, err
		}
		var m struct {
			Version  int `json:"version"`
			Metadata struct {
				ProtocolVersions []string `json:"protocol_versions"`
			} `json:"metadata"`
		}
		if err := readJSON(path(manifest), &m); err != nil {
			return nil, err
		}
		if m.Version != 1 || len(m.Metadata.ProtocolVersions) == 0 {
			return nil, fmt.Errorf("%s: want version 1 and metadata.protocol_versions", manifest)
		}
		r.Protocols = m.Metadata.ProtocolVersions
		r.Files[manifest] = path(manifest)
	} else {
		r.Protocols = []string{"5.0"}
		r.Warnings = append(r.Warnings, "no "+manifest+": the Registry assumes plugin protocol 5")
	}
	return r, nil
}

// parseSums reads a SHA256SUMS file: "HEX  NAME" lines.
func parseSums(b []byte) (map[string]string, error) {
	out := map[string]string{}
	sc := bufio.NewScanner(bytes.NewReader(b))
	for n := 1; sc.Scan(); n++ {
		sum, name, ok := strings.Cut(sc.Text(), "  ")
		if raw, err := hex.DecodeString(sum); !ok || err != nil || len(raw) != sha256.Size || name == "" {
			return nil, fmt.Errorf("line %d is not \"SHA256  NAME\": %q", n, sc.Text())
		}
		out[name] = strings.ToLower(sum)
	}
	if len(out) == 0 {
		return nil, errors.New("no checksums")
	}
	return out, sc.Err()
}

func fileSHA256(path string) (string, error) {
	f, err := os.Open(path)
	if err != nil {
		return "", err
	}
	defer f.Close()
	h := sha256.New()
	if _, err := io.Copy(h, f); err != nil {
		return "", err
	}
	return hex.EncodeToString(h.Sum(nil)), nil
}

// handler serves the provider registry protocol for r:
//
//	/.well-known/terraform.json                                service discovery
//	/v1/providers/NS/TYPE/versions                             available versions
//	/v1/providers/NS/TYPE/VERSION/download/OS/ARCH             one package
//	/files/NAME                                                the assets
//
// and the same under /tampered/, except that its download_url serves the
// zip with its binary changed (a working binary with a few bytes appended),
// while shasum, SHA256SUMS and its signature stay the genuine ones: a
// download host serving something else than what was signed. logf gets one
// line per request (method, path, status; never headers).
func (r *release) handler(logf func(format string, args ...any)) http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("GET /.well-known/terraform.json", func(w http.ResponseWriter, _ *http.Request) {
		writeJSON(w, map[string]string{"providers.v1": "/v1/providers/"})
	})
	for _, view := range []string{"", "/tampered"} {
		mux.HandleFunc("GET "+view+"/v1/providers/{namespace}/{type}/versions", func(w http.ResponseWriter, req *http.Request) {
			if !r.is(req) {
				http.NotFound(w, req)
				return
			}
			platforms := []map[string]string{}
			for _, p := range r.platforms() {
				platforms = append(platforms, map[string]string{"os": p.OS, "arch": p.Arch})
			}
			writeJSON(w, map[string]any{
				"id": r.Namespace + "/" + r.Type,
				"versions": []map[string]any{{
					"version":   r.Version,
					"protocols": r.Protocols,
					"platforms": platforms,
				}},
				"warnings": nil,
			})
		})
		mux.HandleFunc("GET "+view+"/v1/providers/{namespace}/{type}/{version}/download/{os}/{arch}", func(w http.ResponseWriter, req *http.Request) {
			z, ok := r.Zips[platform{req.PathValue("os"), req.PathValue("arch")}]
			if !r.is(req) || req.PathValue("version") != r.Version || !ok {
				http.NotFound(w, req)
				return
			}
			base := "https://" + req.Host
			writeJSON(w, map[string]any{
				"protocols":             r.Protocols,
				"os":                    req.PathValue("os"),
				"arch":                  req.PathValue("arch"),
				"filename":              z.Name,
				"download_url":          base + view + "/files/" + z.Name,
				"shasums_url":           base + "/files/" + r.SumsName,
				"shasums_signature_url": base + "/files/" + r.SigName,
				"shasum":                z.SHA256,
				"signing_keys": map[string]any{
					"gpg_public_keys": []map[string]any{{
						"key_id":          r.KeyID,
						"ascii_armor":     r.KeyArmor,
						"trust_signature": "",
						"source":          "release-test",
						"source_url":      nil,
					}},
				},
			})
		})
	}
	mux.HandleFunc("GET /files/{name}", func(w http.ResponseWriter, req *http.Request) {
		p, ok := r.Files[req.PathValue("name")]
		if !ok {
			http.NotFound(w, req)
			return
		}
		http.ServeFile(w, req, p)
	})
	mux.HandleFunc("GET /tampered/files/{name}", func(w http.ResponseWriter, req *http.Request) {
		name := req.PathValue("name")
		if !strings.HasSuffix(name, ".zip") || r.Files[name] == "" {
			http.NotFound(w, req)
			return
		}
		b, err := r.tamperedZip(name)
		if err != nil {
			http.Error(w, err.Error(), http.StatusInternalServerError)
			return
		}
		w.Header().Set("Content-Type", "application/zip")
		w.Header().Set("Content-Length", strconv.Itoa(len(b)))
		if req.Method == http.MethodHead { // Terraform asks before it downloads
			return
		}
		logf("serving a TAMPERED %s (%d bytes, SHA-256 %x; SHA256SUMS says %s)", name, len(b), sha256.Sum256(b), r.zipSum(name))
		_, _ = w.Write(b)
	})
	return logRequests(logf, mux)
}

func (r *release) is(req *http.Request) bool {
	return req.PathValue("namespace") == r.Namespace && req.PathValue("type") == r.Type
}

func (r *release) platforms() []platform {
	var ps []platform
	for p := range r.Zips {
		ps = append(ps, p)
	}
	slices.SortFunc(ps, func(a, b platform) int { return strings.Compare(a.OS+"_"+a.Arch, b.OS+"_"+b.Arch) })
	return ps
}

func (r *release) zipSum(name string) string {
	for _, z := range r.Zips {
		if z.Name == name {
			return z.SHA256
		}
	}
	return ""
}

// tamperedZip is the zip name with its provider binary changed: the same
// entries, the binary with bytes appended (it would still run).
func (r *release) tamperedZip(name string) ([]byte, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if b, ok := r.tampered[name]; ok {
		return b, nil
	}
	zr, err := zip.OpenReader(r.Files[name])
	if err != nil {
		return nil, err
	}
	defer zr.Close()
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	changed := false
	for _, f := range zr.File {
		if changed || !strings.HasPrefix(f.Name, "terraform-provider-"+r.Type) {
			if err := zw.Copy(f); err != nil {
				return nil, err
			}
			continue
		}
		rc, err := f.Open()
		if err != nil {
			return nil, err
		}
		// Stored, not deflated: compressing the binary again would take
		// seconds, and any valid zip will do.
		hdr := &zip.FileHeader{Name: f.Name, Method: zip.Store, Modified: f.Modified}
		hdr.SetMode(f.Mode())
		w, err := zw.CreateHeader(hdr)
		if err == nil {
			_, err = io.Copy(w, rc)
		}
		rc.Close()
		if err == nil {
			_, err = io.WriteString(w, "\x00tampered by release-test\x00")
		}
		if err != nil {
			return nil, err
		}
		changed = true
	}
	if err := zw.Close(); err != nil {
		return nil, err
	}
	if !changed {
		return nil, fmt.Errorf("%s holds no terraform-provider-%s binary", name, r.Type)
	}
	r.tampered[name] = buf.Bytes()
	return buf.Bytes(), nil
}

func writeJSON(w http.ResponseWriter, v any) {
	w.Header().Set("Content-Type", "application/json")
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	_ = enc.Encode(v)
}

type statusRecorder struct {
	http.ResponseWriter
	status int
	bytes  int64
}

func (s *statusRecorder) WriteHeader(code int) {
	if s.status == 0 {
		s.status = code
	}
	s.ResponseWriter.WriteHeader(code)
}

func (s *statusRecorder) Write(b []byte) (int, error) {
	if s.status == 0 {
		s.status = http.StatusOK
	}
	n, err := s.ResponseWriter.Write(b)
	s.bytes += int64(n)
	return n, err
}

func logRequests(logf func(string, ...any), next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, req *http.Request) {
		rec := &statusRecorder{ResponseWriter: w}
		next.ServeHTTP(rec, req)
		if rec.status == 0 { // nothing written: net/http answers 200
			rec.status = http.StatusOK
		}
		if req.Method == http.MethodHead {
			logf("%s %s %d", req.Method, req.URL.Path, rec.status)
			return
		}
		logf("%s %s %d %dB", req.Method, req.URL.Path, rec.status, rec.bytes)
	})
}
