package viewmodel

import (
	"strings"
	"testing"

	"github.com/standby-oncall/standby/internal/app"
	"github.com/standby-oncall/standby/internal/page"
	"github.com/standby-oncall/standby/internal/quiet"
)

// A held row leads with its hold and offers "Ring me now"; a page that is
// not held, or no longer waits, does not.
func TestHeldRowLeadsWithTheHold(t *testing.T) {
	const hold = "Held — alice is on call (rung 05:10); rings you at 05:12 if nobody is looking"
	held := pv("h", page.StatusTriggered, page.UrgencyHigh)
	held.Service = "payments-api"
	held.Now = quiet.Decision{Level: quiet.Held, Reason: hold, Responders: []string{"alice"}}
	heldAcked := pv("ha", page.StatusAcknowledged, page.UrgencyHigh)
	heldAcked.Now = quiet.Decision{Level: quiet.Held, Reason: hold}
	loud := pv("l", page.StatusTriggered, page.UrgencyHigh)
	loud.Now = quiet.Decision{Level: quiet.Loud, Reason: "Loud: you are on call"}
	vm := Pages(app.Snapshot{At: now, Me: "bob", Pages: []app.PageView{held, heldAcked, loud}})

	h := vm.Rows[0]
	if !h.Held || !h.CanRingNow || !h.CanLook {
		t.Errorf("held row: held %v, ring me now %v, I'm looking %v; want all", h.Held, h.CanRingNow, h.CanLook)
	}
	if !strings.HasPrefix(h.Detail, hold+" · payments-api · am · ") {
		t.Errorf("held row's line %q, want the hold first", h.Detail)
	}
	if vm.Rows[1].CanRingNow {
		t.Error("an acked page offers Ring me now")
	}
	if l := vm.Rows[2]; l.CanRingNow || l.Held || !strings.HasPrefix(l.Detail, "svc · am · ") {
		t.Errorf("loud row: ring me now %v, held %v, line %q", l.CanRingNow, l.Held, l.Detail)
	}
}
