package app

import (
	"testing"

	"github.com/standby-oncall/standby/internal/engine"
	"github.com/standby-oncall/standby/internal/page"
)

func view(src, id, key string, external bool, claims ...page.Claim) PageView {
	return PageView{PageState: engine.PageState{Page: page.Page{ID: page.ID{Source: src, Upstream: id}, DedupKey: key, Claims: claims}, External: external}}
}

func TestMergeLinked(t *testing.T) {
	bob := page.Claim{By: "bob", Kind: page.ClaimLooking}
	in := []PageView{
		view("am", "fp1", "k1", true, bob),
		view("other", "x", "", false),
		view("prom", "fp1", "k1", false),
		view("pd", "P1", "k2", false),
	}
	out := mergeLinked(in)
	if len(out) != 3 {
		t.Fatalf("%d views, want 3", len(out))
	}
	m := out[0]
	if m.ID.Source != "prom" || len(m.Linked) != 1 || m.Linked[0].Source != "am" || len(m.Claims) != 1 || m.Claims[0].By != "bob" {
		t.Fatalf("merged view = %+v", m)
	}
	if out[1].ID.Source != "other" || out[2].ID.Source != "pd" {
		t.Fatalf("order changed: %v %v", out[1].ID, out[2].ID)
	}
	plain := []PageView{view("a", "1", "k1", false), view("b", "2", "", false)}
	if got := mergeLinked(plain); &got[0] != &plain[0] {
		t.Fatal("views without links were copied")
	}
}
