package config

import (
	"strings"
	"testing"
	"time"
)

func TestIncidentDocLink(t *testing.T) {
	i := Incident{DocTemplate: "https://docs.example.com/new?title={title}&page={source}/{id}&by={commander}&d={date}"}
	got := i.DocLink("am-prod", "fp 1/x", "Disk full & slow", "alice", time.Date(2026, 3, 9, 23, 0, 0, 0, time.UTC))
	want := "https://docs.example.com/new?title=Disk+full+%26+slow&page=am-prod/fp+1%2Fx&by=alice&d=2026-03-09"
	if got != want {
		t.Errorf("DocLink = %q\nwant      %q", got, want)
	}
	if (Incident{}).DocLink("a", "b", "c", "d", time.Time{}) != "" {
		t.Error("no template gave a link")
	}
	for tmpl, ok := range map[string]bool{
		"":                             true,
		"https://wiki/inc/{date}-{id}": true,
		"javascript:alert({title})":    false,
		"{title}":                      false,
	} {
		err := Incident{DocTemplate: tmpl}.validate()
		if (err == nil) != ok {
			t.Errorf("validate(%q) = %v", tmpl, err)
		}
		if err != nil && !strings.HasPrefix(err.Error(), "incident.doc_template: ") {
			t.Errorf("error does not name the key: %v", err)
		}
	}
}
