package viewmodel

import (
	"testing"

	"github.com/standby-oncall/standby/internal/app"
)

func TestBannersDismissalLastsWhileTheCauseDoes(t *testing.T) {
	demo := app.Banner{Level: "info", Text: "Demo data."}
	tray := app.Banner{Level: "warning", Text: "No tray icon."}
	fail := app.Banner{Level: "error", Text: "Source prod is not running."}
	dismissed := map[string]bool{}
	vm := Banners([]app.Banner{demo, tray, fail, tray}, dismissed, false)
	if len(vm.Shown) != 2 || vm.Shown[0] != (BannerRow{Key: "error\x00" + fail.Text, Level: "error", Text: fail.Text}) ||
		vm.Shown[1].Text != tray.Text || !vm.Shown[1].Dismissible || vm.More != "1 more" {
		t.Fatalf("first view: %+v", vm)
	}
	dismissed[vm.Shown[1].Key] = true
	dismissed["error\x00"+fail.Text] = true // errors cannot be dismissed
	vm = Banners([]app.Banner{demo, tray, fail}, dismissed, false)
	if len(vm.Shown) != 2 || vm.Shown[0].Text != fail.Text || vm.Shown[1].Text != demo.Text || vm.More != "" {
		t.Fatalf("after dismissing the tray banner: %+v", vm)
	}
	// The tray banner's cause goes, then comes back: it shows again.
	dismissed = Present(dismissed, []app.Banner{demo, fail})
	vm = Banners([]app.Banner{demo, tray, fail}, dismissed, true)
	if len(vm.Shown) != 3 || vm.Less != "Show fewer" {
		t.Fatalf("after the cause came back: %+v", vm)
	}
	if vm := Banners(nil, nil, false); len(vm.Shown) != 0 || vm.More != "" {
		t.Fatalf("no banners: %+v", vm)
	}
}
