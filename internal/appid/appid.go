// Package appid holds the one reverse-DNS application ID that Standby uses
// everywhere: FyneApp.toml, app.NewWithID, the keyring service name, the
// .desktop file and the AppStream metainfo (a test checks they agree).
package appid

// ID is Standby's application ID.
const ID = "dev.standby.Standby"

// Name is the human name of the app.
const Name = "Standby"
