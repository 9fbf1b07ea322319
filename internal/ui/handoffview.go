package ui

import (
	"context"
	"errors"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/widget"

	"github.com/standby-oncall/standby/internal/app"
	"github.com/standby-oncall/standby/internal/bus"
	"github.com/standby-oncall/standby/internal/handoff"
)

// handoffService is what the handoff view reads: my shift's handoff and
// the ones teammates published on the hub.
type handoffService interface {
	Handoff(ctx context.Context, now time.Time, current bool) (handoff.Handoff, error)
	TeamHandoffs(ctx context.Context) ([]bus.Handoff, error)
	Location() *time.Location
}

// handoffVM is what the handoff view shows, computed off the UI goroutine.
type handoffVM struct {
	// Headline is "Handoff from alice: 7 pages, 1 still open", or why
	// there is none; Markdown the text to copy ("" when none).
	Headline, Markdown string
	// Received are the teammates' handoffs, newest first, headline and text.
	Received []string
}

// handoffView shows my last (or current) shift's handoff as Markdown with
// a Copy button, and below it the handoffs teammates published.
type handoffView struct {
	svc      handoffService
	clip     func() fyne.Clipboard
	root     fyne.CanvasObject
	which    *widget.RadioGroup
	headline *widget.Label
	text     *widget.Label // the Markdown, selectable, monospace
	copy     *widget.Button
	received *widget.Label
	copied   *widget.Label
}

const (
	handoffLast    = "Last shift"
	handoffCurrent = "Current shift"
)

func newHandoffView(svc handoffService, clip func() fyne.Clipboard) *handoffView {
	v := &handoffView{svc: svc, clip: clip,
		headline: widget.NewLabelWithStyle("", fyne.TextAlignLeading, fyne.TextStyle{Bold: true}),
		text:     widget.NewLabelWithStyle("", fyne.TextAlignLeading, fyne.TextStyle{Monospace: true}),
		received: widget.NewLabel(""), copied: widget.NewLabel("")}
	v.text.Selectable = true
	v.text.Wrapping = fyne.TextWrapWord
	v.received.Wrapping = fyne.TextWrapWord
	v.which = widget.NewRadioGroup([]string{handoffLast, handoffCurrent}, func(string) { v.refresh() })
	v.which.Horizontal, v.which.Required = true, true
	v.which.Selected = handoffLast
	v.copy = widget.NewButton("Copy as Markdown", v.copyText)
	v.copy.Disable()
	mine := container.NewBorder(container.NewVBox(v.which, v.headline), container.NewHBox(v.copy, v.copied), nil, nil,
		container.NewVScroll(v.text))
	v.root = container.NewVSplit(mine, widget.NewCard("From teammates", "their last handoffs on the team hub",
		container.NewVScroll(v.received)))
	return v
}

// refresh computes the view off the UI goroutine and applies it.
func (v *handoffView) refresh() {
	current := v.which.Selected == handoffCurrent
	go func() {
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		vm := computeHandoff(ctx, v.svc, time.Now(), current)
		fyne.Do(func() { v.apply(vm) })
	}()
}

// computeHandoff reads my handoff and the team's.
func computeHandoff(ctx context.Context, svc handoffService, now time.Time, current bool) handoffVM {
	var vm handoffVM
	h, err := svc.Handoff(ctx, now, current)
	switch {
	case errors.Is(err, app.ErrNoShift):
		vm.Headline = "No handoff: " + strings.TrimPrefix(err.Error(), app.ErrNoShift.Error()+": ") + "."
	case err != nil:
		vm.Headline = "The handoff could not be prepared: " + err.Error()
	default:
		vm.Headline, vm.Markdown = h.Headline(), h.Markdown(svc.Location())
	}
	hs, err := svc.TeamHandoffs(ctx)
	switch {
	case err != nil:
		vm.Received = []string{"Not read from the team hub: " + err.Error()}
	case len(hs) == 0:
		vm.Received = []string{"None."}
	}
	for _, h := range hs {
		vm.Received = append(vm.Received, h.Headline()+"\n"+h.Text)
	}
	return vm
}

// apply shows vm; call on the UI goroutine only.
func (v *handoffView) apply(vm handoffVM) {
	v.headline.SetText(vm.Headline)
	v.text.SetText(vm.Markdown)
	v.received.SetText(strings.Join(vm.Received, "\n\n"))
	v.copied.SetText("")
	if vm.Markdown == "" {
		v.copy.Disable()
	} else {
		v.copy.Enable()
	}
}

// copyText puts the Markdown on the clipboard.
func (v *handoffView) copyText() {
	if v.text.Text == "" {
		return
	}
	v.clip().SetContent(v.text.Text)
	v.copied.SetText("Copied.")
}

// showHandoff opens the handoff view in a dialog (from the Schedule tab).
func (sh *shell) showHandoff() {
	v := newHandoffView(sh.svc, sh.app.Clipboard)
	d := dialog.NewCustom("Handoff", "Close", v.root, sh.win)
	d.Resize(fyne.NewSize(760, 560))
	v.refresh()
	d.Show()
}
