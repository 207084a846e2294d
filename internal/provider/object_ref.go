package provider

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"

	"github.com/vpnresellers/terraform-provider-vpnresellers/internal/client"
)

// What names an object, in one place: the grammar of every import id (the
// single resources', and each entry of vpnresellers_accounts' list), the
// one rule that resolves a reference to an object, ambiguity included, and
// how a failed resolution is reported. The lookup data sources resolve
// their id or key argument with the same rule and report the same way.
//
// Grammar (surrounding white space is ignored everywhere):
//
//	ref   = "id:" N | KEY ":" text | N | text
//	fleet = "customer:" N | "project:" N | ref { "," ref }
//
// where N is a positive whole number and KEY the kind's key ("username" for
// accounts; customers and projects are imported by id alone). "id:N" names
// the object with that id, "username:text" the account with that username,
// any other text the account with that username. A bare N names the object
// with id N, or, for a kind whose key may be all digits (a username), the
// object whose key is N: resolveRef takes the one object so named, and
// refuses a number that names two different objects, showing both prefixed
// forms.

// Prefixes of the grammar.
const (
	importIDPrefix      = "id:"
	fleetCustomerPrefix = "customer:"
	fleetProjectPrefix  = "project:"
)

// usernameKey is the key an account is named by, besides its id (the
// prefix username: says a reference is one).
const usernameKey = "username"

// objectRef is what a reference names: an id, a key, or (bare) a number
// that is the id or the key of one object.
type objectRef struct {
	id   int64  // > 0 when an id is named
	key  string // the key named; for a bare number, its text
	bare bool   // a plain number, for a kind with a key: the id, or the key
}

// format writes the reference in the grammar, as parseRef reads it back
// (keyName as for parseRef).
func (r objectRef) format(keyName string) string {
	switch {
	case r.bare:
		return r.key
	case r.id > 0:
		return importIDPrefix + strconv.FormatInt(r.id, 10)
	}
	return keyName + ":" + r.key
}

// describe says what the reference names, for a message: `id 5`,
// `username "alice"`, `id or username "5"`.
func (r objectRef) describe(keyName string) string {
	switch {
	case r.bare:
		return fmt.Sprintf("id or %s %q", keyName, r.key)
	case r.id > 0:
		return "id " + strconv.FormatInt(r.id, 10)
	}
	return fmt.Sprintf("%s %q", keyName, r.key)
}

// parseRef reads one reference to an object of a kind whose key is keyName
// ("username"; "" for a kind named by its id alone). Its error says what
// is wrong and what the kind takes, quoting s.
func parseRef(s, kind, keyName string) (objectRef, error) {
	s = strings.TrimSpace(s)
	takes := fmt.Sprintf("a %s is imported by its numeric id, such as 42 (or %s42)", kind, importIDPrefix)
	if keyName != "" {
		takes = fmt.Sprintf("an %s is imported by its numeric id or its %s, either with a prefix that says which "+
			"(%s42, %s:jane-doe)", kind, keyName, importIDPrefix, keyName)
	}
	bad := func(why string) (objectRef, error) {
		return objectRef{}, fmt.Errorf("got %q, which %s: %s", s, why, takes)
	}
	if rest, ok := strings.CutPrefix(s, importIDPrefix); ok {
		n, ok := positiveID(rest)
		if !ok {
			return bad(fmt.Sprintf("has no positive whole number after %q", importIDPrefix))
		}
		return objectRef{id: n}, nil
	}
	n, isID := positiveID(s)
	if keyName == "" {
		if !isID {
			return bad("is not a numeric id")
		}
		return objectRef{id: n}, nil
	}
	if rest, ok := strings.CutPrefix(s, keyName+":"); ok {
		if rest = strings.TrimSpace(rest); rest == "" {
			return bad(fmt.Sprintf("has no %s after %q", keyName, keyName+":"))
		}
		return objectRef{key: rest}, nil
	}
	switch {
	case s == "":
		return bad("is empty")
	case isID:
		return objectRef{id: n, key: s, bare: true}, nil
	}
	return objectRef{key: s}, nil
}

// positiveID reads a positive whole number (surrounding white space
// ignored).
func positiveID(s string) (int64, bool) {
	n, err := strconv.ParseInt(strings.TrimSpace(s), 10, 64)
	return n, err == nil && n > 0
}

// fleetImportID is what a vpnresellers_accounts import id names: every
// account of a customer or of a project's customers (scope), or a list of
// accounts.
type fleetImportID struct {
	scope   string // "customer" or "project"; "" for a list
	scopeID int64
	refs    []objectRef
}

// parseFleetImportID reads a vpnresellers_accounts import id: customer:N,
// project:N, or a comma-separated list of account references (parseRef).
func parseFleetImportID(s string) (fleetImportID, error) {
	s = strings.TrimSpace(s)
	for _, scope := range []string{fleetCustomerPrefix, fleetProjectPrefix} {
		if rest, ok := strings.CutPrefix(s, scope); ok {
			kind := strings.TrimSuffix(scope, ":")
			n, ok := positiveID(rest)
			if !ok {
				return fleetImportID{}, fmt.Errorf("%s needs a positive numeric id, such as %s12; got %q", scope, scope, s)
			}
			return fleetImportID{scope: kind, scopeID: n}, nil
		}
	}
	if s == "" {
		return fleetImportID{}, errors.New("empty: give a comma-separated list of account usernames or ids " +
			"(alice,bob,42, with id:42 and username:42 saying which), customer:<id> or project:<id>")
	}
	var out fleetImportID
	for i, part := range strings.Split(s, ",") {
		ref, err := parseRef(part, client.KindAccount, usernameKey)
		if err != nil {
			return fleetImportID{}, fmt.Errorf("entry %d of the list: %w", i+1, err)
		}
		out.refs = append(out.refs, ref)
	}
	return out, nil
}

// refSource is how resolveRef finds objects of one kind (T: the client's
// object).
type refSource[T any] struct {
	kind    string // client.KindAccount, ...
	keyName string // "username", "email", "name"
	idOf    func(*T) int64
	// get returns the object with an id: the API's "not found"
	// (client.IsGone) or client.ErrNoMatch when there is none.
	get func(context.Context, int64) (*T, error)
	// find returns the object with a key: client.ErrNoMatch when there
	// is none, a *client.ManyMatchesError when several have it.
	find func(context.Context, string) (*T, error)
	// keyFree, when set, says cheaply that no object has a key, before
	// find is asked (a walk of every account).
	keyFree func(context.Context, string) (bool, error)
	// trustIDs: an id alone is taken as named, without get; the caller
	// finds out whether it exists (an import that walks the owners anyway).
	trustIDs bool
}

// ambiguousRefError is a bare number that names two objects: one by id,
// another by key.
type ambiguousRefError struct {
	kind, keyName string
	ref           objectRef
	keyID         int64 // the id of the object whose key it is
}

func (e *ambiguousRefError) Error() string {
	return fmt.Sprintf("%q is the id of one %s and the %s of another (id %d)", e.ref.key, e.kind, e.keyName, e.keyID)
}

// noRefError is a reference that names no object.
type noRefError struct {
	kind, keyName string
	ref           objectRef
}

func (e *noRefError) Error() string {
	return fmt.Sprintf("there is no %s with %s", e.kind, e.ref.describe(e.keyName))
}

// resolveRef finds the object ref names, by the one rule of this file: an
// id names the object with that id, a key the object with that key, and a
// bare number the one object that has it as its id or as its key; a
// number that is the id of one object and the key of another is a
// *ambiguousRefError, one that names nothing a *noRefError. obj is nil
// when an id was taken on trust (src.trustIDs).
func resolveRef[T any](ctx context.Context, src refSource[T], ref objectRef) (obj *T, id int64, err error) {
	gone := func(err error) bool { return client.IsGone(err, src.kind) || errors.Is(err, client.ErrNoMatch) }
	byID := func() (*T, error) {
		o, err := src.get(ctx, ref.id)
		if gone(err) {
			return nil, nil
		}
		return o, err
	}
	byKey := func() (*T, error) {
		if src.keyFree != nil {
			if free, err := src.keyFree(ctx, ref.key); err != nil || free {
				return nil, err
			}
		}
		o, err := src.find(ctx, ref.key)
		if gone(err) {
			return nil, nil
		}
		return o, err
	}
	none := &noRefError{kind: src.kind, keyName: src.keyName, ref: ref}
	switch {
	case ref.id > 0 && !ref.bare:
		if src.trustIDs {
			return nil, ref.id, nil
		}
		o, err := byID()
		if err == nil && o == nil {
			err = none
		}
		if err != nil {
			return nil, 0, err
		}
		return o, ref.id, nil
	case !ref.bare:
		o, err := byKey()
		if err == nil && o == nil {
			err = none
		}
		if err != nil {
			return nil, 0, err
		}
		return o, src.idOf(o), nil
	}
	named, err := byKey()
	if err != nil {
		return nil, 0, err
	}
	if named == nil && src.trustIDs {
		return nil, ref.id, nil
	}
	if named != nil && src.idOf(named) == ref.id {
		return named, ref.id, nil
	}
	withID, err := byID()
	switch {
	case err != nil:
		return nil, 0, err
	case withID != nil && named != nil:
		return nil, 0, &ambiguousRefError{kind: src.kind, keyName: src.keyName, ref: ref, keyID: src.idOf(named)}
	case withID != nil:
		return withID, ref.id, nil
	case named != nil:
		return named, src.idOf(named), nil
	}
	return nil, 0, none
}

// addRefError reports a reference that could not be resolved: on the
// attribute attr (a lookup's id or key argument), or, with attr "", on
// the import as a whole. summary says what failed, for errors of the API.
// forList says the reference is one entry of a list (a fleet import).
func addRefError(diags *diag.Diagnostics, attr, summary, kind, keyName string, ref objectRef, forList bool, err error) {
	var (
		ambiguous *ambiguousRefError
		none      *noRefError
		many      *client.ManyMatchesError
	)
	how := ref.describe(keyName)
	switch {
	case errors.As(err, &ambiguous):
		s := ambiguous.ref.key
		idForm, keyForm := importIDPrefix+s, keyName+":"+s
		detail := fmt.Sprintf("%q could be an %s id, and it is also the %s of %s %d. Say which one you mean:\n\n"+
			"  terraform import <resource address> %s\n\n"+
			"imports the %s whose id is %s, and\n\n"+
			"  terraform import <resource address> %s\n\n"+
			"imports %s %d, whose %s is %q. In an import block, write id = %q or id = %q.",
			s, kind, keyName, kind, ambiguous.keyID, idForm, kind, s, keyForm, kind, ambiguous.keyID, keyName, s, idForm, keyForm)
		if forList {
			detail = fmt.Sprintf("%q could be an %s id, and it is also the %s of %s %d. Write %s in the list for the "+
				"%s whose id is %s, or %s for %s %d.", s, kind, keyName, kind, ambiguous.keyID, idForm, kind, s, keyForm,
				kind, ambiguous.keyID)
		}
		addAt(diags, attr, "Ambiguous import ID", detail)
	case errors.As(err, &none) || client.IsGone(err, kind) || errors.Is(err, client.ErrNoMatch):
		addAt(diags, attr, fmt.Sprintf("No %s found", kind),
			fmt.Sprintf("There is no %s with %s. Check the value; the %s may have been deleted.", kind, how, kind))
	case errors.As(err, &many):
		addAt(diags, attr, fmt.Sprintf("More than one %s found", kind),
			fmt.Sprintf("%d %ss have %s (ids %s). %s %ss are not unique: look the %s up by `id` instead.",
				len(many.IDs), kind, how, client.JoinIDs(many.IDs), capitalize(kind), keyName, kind))
	default:
		addAPIError(diags, fmt.Sprintf("%s with %s", summary, how), err, nil)
	}
}

// addAt adds an error on the attribute attr, or on the whole when attr is
// "".
func addAt(diags *diag.Diagnostics, attr, summary, detail string) {
	if attr == "" {
		diags.AddError(summary, detail)
		return
	}
	diags.AddAttributeError(path.Root(attr), summary, detail)
}

// accountRefs resolves account references the way an import does: an id on
// trust (the owner walk that follows finds out whether it exists), a
// username that may be free asked with GET /accounts/check_username before
// the accounts are walked for it.
func accountRefs(c *client.Client) refSource[client.Account] {
	return refSource[client.Account]{
		kind: client.KindAccount, keyName: usernameKey, idOf: func(a *client.Account) int64 { return a.ID },
		get: c.GetAccount, find: c.FindAccountByUsername, keyFree: c.CheckUsername, trustIDs: true,
	}
}

// listedAccountRefs resolves account references against one walk of the
// account list.
func listedAccountRefs(all []client.Account) refSource[client.Account] {
	byName := make(map[string]*client.Account, len(all))
	byID := make(map[int64]*client.Account, len(all))
	for i := range all {
		byName[all[i].Username] = &all[i]
		byID[all[i].ID] = &all[i]
	}
	miss := func(a *client.Account, key string) (*client.Account, error) {
		if a == nil {
			return nil, &client.NoMatchError{Kind: client.KindAccount, Key: key}
		}
		return a, nil
	}
	return refSource[client.Account]{
		kind: client.KindAccount, keyName: usernameKey, idOf: func(a *client.Account) int64 { return a.ID },
		get: func(_ context.Context, id int64) (*client.Account, error) {
			return miss(byID[id], fmt.Sprint("id ", id))
		},
		find: func(_ context.Context, name string) (*client.Account, error) {
			return miss(byName[name], "username "+name)
		},
	}
}
