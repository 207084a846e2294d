package provider

import (
	"context"
	"maps"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/provider"
)

// settingsRow is a row of a settings table: | `argument` ... | `VPNRESELLERS_...` | default |.
var settingsRow = regexp.MustCompile("(?m)^\\| `([a-z_]+)`[^|]*\\| `(VPNRESELLERS_[A-Z_]+)` \\|")

// The settings tables of README.md and docs/index.md (from
// templates/index.md.tmpl) list every argument of the provider, with the
// environment variable its description names, and nothing else.
func TestDocs_settingsTablesListEveryArgument(t *testing.T) {
	var resp provider.SchemaResponse
	New("test")().Schema(context.Background(), provider.SchemaRequest{}, &resp)
	envOf := regexp.MustCompile(`VPNRESELLERS_[A-Z_]+`)
	want := map[string]string{}
	for name, a := range resp.Schema.Attributes {
		env := envOf.FindString(a.GetMarkdownDescription())
		if env == "" {
			t.Errorf("the description of %s names no environment variable", name)
		}
		want[name] = env
	}
	root, err := repoRoot()
	if err != nil {
		t.Fatal(err)
	}
	for _, doc := range []string{"README.md", filepath.Join("docs", "index.md")} {
		text, err := os.ReadFile(filepath.Join(root, doc))
		if err != nil {
			t.Fatal(err)
		}
		got := map[string]string{}
		for _, m := range settingsRow.FindAllStringSubmatch(string(text), -1) {
			got[m[1]] = m[2]
		}
		for name, env := range want {
			switch e, ok := got[name]; {
			case !ok:
				t.Errorf("%s: the settings table has no row for the provider argument %s (%s)", doc, name, env)
			case e != env:
				t.Errorf("%s: the settings table gives %s the environment variable %s, the provider reads %s", doc, name, e, env)
			}
		}
		for name := range got {
			if _, ok := want[name]; !ok {
				t.Errorf("%s: the settings table lists %s, which is no provider argument (have %s)", doc, name,
					strings.Join(slices.Sorted(maps.Keys(want)), ", "))
			}
		}
	}
}
