package app

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/zalando/go-keyring"

	"github.com/standby-oncall/standby/internal/bus"
	"github.com/standby-oncall/standby/internal/page"
	"github.com/standby-oncall/standby/internal/secrets"
	"github.com/standby-oncall/standby/internal/source/pagerduty/pdfake"
)

// waitIncident waits, on the service's change signal, until the team's
// incident on id satisfies ok (it travels over the real network).
func waitIncident(t *testing.T, ctx context.Context, svc *Service, what string, id page.ID, ok func(Incident, bool) bool) Incident {
	t.Helper()
	changes, cancel := svc.Changes()
	defer cancel()
	for {
		inc, found := svc.IncidentOn(id)
		if ok(inc, found) {
			return inc
		}
		select {
		case <-changes:
		case <-ctx.Done():
			t.Fatalf("waiting for %s: last %+v (found %v)", what, inc, found)
		}
	}
}

// Alice declares an incident on a PagerDuty page: the doc link comes from
// her template, the declaration is a note on the PagerDuty incident, and
// bob's app shows it; bob cannot take it over; alice hands it to him.
func TestIncidentDeclaredHandedOverAndShownToTheTeam(t *testing.T) {
	keyring.MockInit()
	ctx, cancel := context.WithTimeout(context.Background(), 45*time.Second)
	defer cancel()
	h := startHub(t, ctx, "off")
	pd := pdfake.New(t, "pd-token", false)
	pd.AddUser("alice", "alice@example.com")
	incident := pd.Trigger(pdfake.Incident{Title: "Checkout down", Urgency: "high"})
	id := page.ID{Source: "pd", Upstream: incident}

	aliceTok, _ := h.Store().AddMember("alice", []string{h.ClientURL()})
	if err := h.Reload(); err != nil {
		t.Fatal(err)
	}
	sec := &secrets.Store{Service: "standby-test-pd", Backend: secrets.Keyring{}, Timeout: time.Second}
	if err := sec.Set(ctx, secrets.SourceKey("pd"), "pd-token"); err != nil {
		t.Fatal(err)
	}
	cfg := fmt.Sprintf("[user]\nname = \"alice\"\nemail = \"alice@example.com\"\n[[sources]]\nname = \"pd\"\nkind = \"pagerduty\"\nurl = %q\npoll = \"15s\"\nhas_token = true\n"+
		"[incident]\ndoc_template = \"https://docs.example.com/new?title={title}&by={commander}\"\n", pd.URL)
	alice := openWith(t, cfg, Options{Secrets: sec})
	if _, err := alice.TeamJoin(ctx, aliceTok.Encode(), nil); err != nil {
		t.Fatal(err)
	}
	stop := alice.StartEngine(ctx)
	defer stop()
	if err := alice.ConnectTeam(ctx); err != nil {
		t.Fatal(err)
	}
	alice.WaitPolled(ctx, 10*time.Second)
	bob := teammate(t, ctx, h, "bob")

	inc, err := alice.DeclareIncident(ctx, id, "", time.Now())
	if err != nil {
		t.Fatal(err)
	}
	const doc = "https://docs.example.com/new?title=Checkout+down&by=alice"
	if inc.Commander != "alice" || inc.Doc != doc || inc.Line != "Incident — commander alice — doc ↗" {
		t.Fatalf("declared %+v", inc)
	}
	if notes := pd.Notes(incident); !slices.ContainsFunc(notes, func(n string) bool {
		return strings.Contains(n, "alice is the commander") && strings.Contains(n, doc)
	}) {
		t.Errorf("no incident note on the PagerDuty incident: %q", notes)
	}
	waitIncident(t, ctx, bob, "bob to see alice's incident", id, func(i Incident, ok bool) bool {
		return ok && i.Commander == "alice" && i.Doc == doc
	})

	if _, err := bob.DeclareIncident(ctx, id, "https://elsewhere.example.com/", time.Now()); !errors.Is(err, bus.ErrRefused) {
		t.Errorf("bob declared over alice's incident: %v", err)
	}
	if _, err := alice.HandoverIncident(ctx, id, "bob", time.Now()); err != nil {
		t.Fatal(err)
	}
	got := waitIncident(t, ctx, bob, "bob to command", id, func(i Incident, ok bool) bool { return ok && i.Commander == "bob" })
	if got.Line != "Incident — commander bob — doc ↗ — alice is helping" || got.HandedBy != "alice" {
		t.Errorf("after the handover bob sees %+v", got)
	}
	if _, ok := bob.Incidents()[id]; !ok {
		t.Error("Incidents() lacks the page")
	}
}

func TestIncidentNeedsTheTeamHub(t *testing.T) {
	keyring.MockInit()
	svc := openWith(t, "[user]\nname = \"alice\"\n", Options{Demo: true})
	_, err := svc.JoinIncident(context.Background(), page.ID{Source: "demo", Upstream: "1"})
	if err == nil || !strings.Contains(err.Error(), "team hub") {
		t.Errorf("join without a team = %v", err)
	}
}

func TestIncidentLine(t *testing.T) {
	for _, c := range []struct {
		doc     bool
		helpers []string
		want    string
	}{
		{false, nil, "Incident — commander alice"},
		{true, []string{"bob"}, "Incident — commander alice — doc ↗ — bob is helping"},
		{false, []string{"bob", "carol"}, "Incident — commander alice — bob, carol are helping"},
	} {
		if got := IncidentLine("alice", c.doc, c.helpers); got != c.want {
			t.Errorf("IncidentLine = %q, want %q", got, c.want)
		}
	}
}
