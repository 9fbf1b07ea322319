package registry

import (
	"net/http"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/standby-oncall/standby/internal/source"
)

// TestEveryKindBuilds: each kind offered builds its adapter from a spec
// with its required settings, named as configured, and its scale is the
// one mapping's.
func TestEveryKindBuilds(t *testing.T) {
	if len(All()) != 7 {
		t.Fatalf("%d kinds offered: %v", len(All()), Kinds())
	}
	for _, d := range All() {
		spec := Spec{Name: "x", Token: "tok", HTTP: http.DefaultClient}
		for _, s := range d.Settings {
			switch s.Field {
			case FieldURL:
				spec.URL = "https://example.com"
			case FieldUsername:
				spec.Username = "alice@example.com"
			case FieldAPIID:
				spec.APIID = "id"
			case FieldCloudID:
				spec.CloudID = "cloud"
			}
		}
		src, err := d.New(spec)
		if err != nil {
			t.Errorf("%s: %v", d.Kind, err)
			continue
		}
		if src.Name() != "x" {
			t.Errorf("%s: name %q", d.Kind, src.Name())
		}
		if !reflect.DeepEqual(d.Scale, source.ScaleOf(d.Kind)) {
			t.Errorf("%s: the descriptor's scale is not the one mapping's", d.Kind)
		}
		if d.Title == "" || len(d.Settings) == 0 {
			t.Errorf("%s: no title or settings", d.Kind)
		}
	}
}

func TestCheckNamesWhatIsMissing(t *testing.T) {
	none := func(Field) bool { return false }
	urlOnly := func(f Field) bool { return f == FieldURL }
	for kind, want := range map[source.Kind]string{
		source.KindGoAlert:      "goalert needs username",
		source.KindJSMOps:       "jsm_ops needs cloud_id and username",
		source.KindSplunkOnCall: "splunk_oncall needs api_id",
	} {
		d, _ := Lookup(kind)
		if err := d.Check(urlOnly); err == nil || !strings.HasPrefix(err.Error(), want) {
			t.Errorf("%s with only a URL: %v, want %q", kind, err, want)
		}
	}
	for kind, want := range map[source.Kind]string{
		source.KindGoAlert:       "url: missing",
		source.KindAlertmanager:  "url: missing",
		source.KindGrafanaOnCall: "url: missing",
	} {
		d, _ := Lookup(kind)
		if err := d.Check(none); err == nil || !strings.HasPrefix(err.Error(), want) {
			t.Errorf("%s with nothing set: %v, want %q", kind, err, want)
		}
	}
	for _, kind := range []source.Kind{source.KindPagerDuty, source.KindOpsgenie} {
		d, _ := Lookup(kind)
		if err := d.Check(none); err != nil {
			t.Errorf("%s needs nothing (its URL has a default): %v", kind, err)
		}
	}
}

func TestDemoIsValidButNotOffered(t *testing.T) {
	if _, ok := Lookup(source.KindDemo); !ok {
		t.Fatal("the demo kind is unknown")
	}
	if slices.Contains(Kinds(), source.KindDemo) || strings.Contains(Names(), "demo") {
		t.Fatalf("the demo is offered: %v", Kinds())
	}
	if _, ok := Lookup("nosuch"); ok {
		t.Fatal("an unknown kind was found")
	}
	if !strings.HasSuffix(Names(), " or splunk_oncall") {
		t.Fatalf("Names() = %q", Names())
	}
}
