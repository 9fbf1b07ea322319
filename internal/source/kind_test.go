package source

import (
	"testing"

	"github.com/standby-oncall/standby/internal/page"
)

func TestUrgencyIsOneMapping(t *testing.T) {
	for _, tc := range []struct {
		kind      Kind
		sev       string
		overrides map[string]string
		stated    page.Urgency
		want      page.Urgency
	}{
		// The cases the four old tables disagreed on.
		{KindOpsgenie, "P3", nil, low, high},
		{KindJSMOps, "p3", nil, low, high},
		{KindAlertmanager, "", nil, low, high},
		{KindAlertmanager, "warning", nil, high, low},
		{KindGrafanaOnCall, "important", nil, low, high},
		{KindSplunkOnCall, "RECOVERY", nil, high, low},
		// Overrides win, exact word before "*", case-insensitively.
		{KindAlertmanager, "Warning", map[string]string{"warning": "HIGH"}, low, high},
		{KindAlertmanager, "critical", map[string]string{"*": "low"}, high, low},
		{KindAlertmanager, "critical", map[string]string{"*": "low", "critical": "high"}, low, high},
		{KindAlertmanager, "warning", map[string]string{"warning": "loud"}, high, low}, // not a level: ignored
		// Kinds without a scale keep the stated urgency.
		{KindPagerDuty, "P1", nil, low, low},
		{KindGeneric, "critical", nil, low, low},
		{KindPagerDuty, "P4", map[string]string{"p4": "low"}, high, low},
		{"nosuch", "critical", nil, low, low},
	} {
		if got := Urgency(tc.kind, tc.sev, tc.overrides, tc.stated); got != tc.want {
			t.Errorf("Urgency(%s, %q, %v, stated %v) = %v, want %v", tc.kind, tc.sev, tc.overrides, tc.stated, got, tc.want)
		}
	}
	if DefaultUrgency(KindPagerDuty, "low") != high {
		t.Error("DefaultUrgency of a kind without a scale should be high")
	}
}

func TestLinkKeys(t *testing.T) {
	a := AlertmanagerKey("http://AM.example.com:9093/", "fp1")
	if b := AlertmanagerKey("http://am.example.com:9093", "fp1"); a != b || a == "" {
		t.Fatalf("same Alertmanager, same fingerprint: %q vs %q", a, b)
	}
	for _, other := range []string{
		AlertmanagerKey("http://am2.example.com:9093", "fp1"),
		AlertmanagerKey("http://am.example.com:9093", "fp2"),
		PagerDutyKey("fp1"),
	} {
		if other == a {
			t.Errorf("%q links to %q", other, a)
		}
	}
	if AlertmanagerKey("", "fp1") != "" || AlertmanagerKey("http://am", "") != "" || PagerDutyKey("") != "" {
		t.Error("a key without its URL or id links anything")
	}
}
