package feeds

import (
	"strings"
	"testing"
)

// calICS is a small valid calendar: a daily 09:00–17:00 Berlin shift.
const calICS = "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//test//EN\r\nX-WR-CALNAME:Payments Primary\r\n" +
	"BEGIN:VEVENT\r\nUID:shift-1\r\nSUMMARY:Primary: Alice\r\n" +
	"ORGANIZER;CN=\"Ops: Lead\":mailto:lead@example.com\r\n" +
	"DTSTART;TZID=Europe/Berlin:20000101T090000\r\nDTEND;TZID=Europe/Berlin:20000101T170000\r\n" +
	"RRULE:FREQ=DAILY\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n"

func TestRedactURL(t *testing.T) {
	tests := []struct{ in, want string }{
		{"webcal://acme.pagerduty.com/private/0123abcd/feed/users/P1", "webcal://acme.pagerduty.com/…"},
		{"https://goalert.example.com/api/v2/calendar?token=s3cr3t", "https://goalert.example.com/…"},
		{"https://user:pass@host.example.com:8443/x.ics#frag", "https://host.example.com:8443/…"},
		{"HTTPS://Host.example.com", "https://Host.example.com"},
		{"https://host.example.com/", "https://host.example.com"},
		{"https://host.example.com?token=abc", "https://host.example.com/…"},
		{"/home/alice/oncall.ics", "file://…"},
		{"file:///home/alice/oncall.ics", "file://…"},
		{`C:\Users\alice\oncall.ics`, "file://…"},
		{"oncall.ics", "file://…"},
		{"https://%zz/private/token", "…"},
		{"mailto:private-token", "file://…"}, // no "://": read as a path,
		{"", "…"},
	}
	for _, tt := range tests {
		got := RedactURL(tt.in)
		if got != tt.want {
			t.Errorf("RedactURL(%q) = %q, want %q", tt.in, got, tt.want)
		}
		for _, secret := range []string{"0123abcd", "s3cr3t", "pass", "token", "frag", "alice"} {
			if strings.Contains(got, secret) {
				t.Errorf("RedactURL(%q) = %q leaks %q", tt.in, got, secret)
			}
		}
	}
}

func TestScanExtras(t *testing.T) {
	name, orgs := scanExtras([]byte("\xEF\xBB\xBF" + strings.ReplaceAll(calICS, "X-WR-CALNAME:Payments Primary", "X-WR-CALNAME:Payments\\, Pri\r\n mary")))
	if name != "Payments, Primary" {
		t.Errorf("calendar name %q, want %q", name, "Payments, Primary")
	}
	if orgs["shift-1"] != "lead@example.com" {
		t.Errorf("organizers %v, want shift-1 → lead@example.com", orgs)
	}
}
