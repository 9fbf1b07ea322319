// Package assets embeds Standby's icons: the app icon and one tray icon
// per state (idle, on call, page waiting, quiet). It has no Fyne import;
// internal/ui wraps the bytes in Fyne resources.
package assets

import _ "embed"

// AppIconPNG is the 256×256 application icon (8 bits a channel: a
// 16-bit PNG decodes 5× slower, at every start, for no visible gain).
//
//go:embed icons/app.png
var AppIconPNG []byte

// AppIconSVG is the application icon as SVG.
//
//go:embed icons/app.svg
var AppIconSVG []byte

// TrayIdle (64×64 PNG; the Linux tray takes no SVG) is the tray icon when nothing needs attention.
//
//go:embed icons/idle.png
var TrayIdle []byte

// TrayOnCall is the tray icon while the user is on call.
//
//go:embed icons/oncall.png
var TrayOnCall []byte

// TrayPage is the tray icon while an unacknowledged page waits.
//
//go:embed icons/page.png
var TrayPage []byte

// TrayQuiet is the tray icon during quiet hours.
//
//go:embed icons/quiet.png
var TrayQuiet []byte
