package alertmanager_test

import (
	"net/http"
	"testing"
	"time"

	"github.com/standby-oncall/standby/internal/source"
	"github.com/standby-oncall/standby/internal/source/alertmanager"
	"github.com/standby-oncall/standby/internal/source/alertmanager/amtest"
)

// TestClusterAckGossips acks on node A of a two-node cluster and expects
// node B to show the page acknowledged by the same person: the silence is
// gossiped, so a teammate whose app polls B sees the ack. The wait uses a
// deadline loop (Alertmanager gossips on its own schedule), not sleeps.
func TestClusterAckGossips(t *testing.T) {
	if testing.Short() {
		t.Skip("starts two Alertmanagers")
	}
	a := amtest.Start(t, amtest.Options{Cluster: true})
	b := amtest.Start(t, amtest.Options{Peers: []string{a.ClusterAddr}})
	newSource := func(am *amtest.Server) source.Source {
		src, err := alertmanager.New(alertmanager.Config{Name: "am", URL: am.URL,
			Filter: []string{`standby_scope="cluster"`}}, &http.Client{Timeout: 5 * time.Second})
		if err != nil {
			t.Fatal(err)
		}
		return src
	}
	srcA, srcB := newSource(a), newSource(b)

	// Prometheus sends every alert to every Alertmanager of an HA pair.
	alert := amtest.Alert{Labels: map[string]string{
		"alertname": "ClusterAck", "standby_scope": "cluster", "severity": "critical"}}
	a.Post(t, alert)
	b.Post(t, alert)
	fp := waitFingerprint(t, a, "ClusterAck")
	if fpB := waitFingerprint(t, b, "ClusterAck"); fpB != fp {
		t.Fatalf("fingerprints differ across nodes: %s vs %s", fp, fpB)
	}

	if err := srcA.Ack(t.Context(), fp, source.Actor{Name: "carol"}); err != nil {
		t.Fatalf("Ack on A: %v", err)
	}
	p := waitAcked(t, srcB, fp) // gossip: deadline loop inside
	if p.AckedBy != "carol" {
		t.Errorf("on B AckedBy = %q, want carol", p.AckedBy)
	}

	if err := srcB.Unack(t.Context(), fp, source.Actor{Name: "dave"}); err != nil {
		t.Fatalf("Unack on B: %v", err)
	}
	waitTriggered(t, srcA, fp)
}
