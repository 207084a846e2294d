package provider

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"

	"github.com/vpnresellers/terraform-provider-vpnresellers/internal/client"
)

// The plan-time checks of ownership shared by the resources: keys two
// resources of one configuration ask for, keys taken by objects that are not
// this state's, and the advice those errors give.
//
// Nothing this state did not create or import is ever taken into it: only
// this state's own record (the note of an unfinished create, see
// keepPendingCreate) or an explicit import. A name or a password that
// matches is not ownership. And the checks skip the objects this state
// already holds, whatever the plan is for: a replacement (forced, -replace,
// taint) creates the new object after deleting its own old one, which holds
// the key until then.

// privateLineage is the private-state key by which the first pass of a plan
// tells a replacement's create pass (which Terraform plans with no prior
// state, but with the first pass's private state) which object it replaces.
const privateLineage = "replaces"

// keepLineage records in the planned private state that the resource holds
// object id, for the create pass of a replacement.
func keepLineage(ctx context.Context, priv privateData, id int64, diags *diag.Diagnostics) {
	if id > 0 {
		diags.Append(priv.SetKey(ctx, privateLineage, []byte(fmt.Sprint(id)))...)
	}
}

// lineageOf is the object a create replaces: the one the first pass of the
// same resource's plan recorded, or, for a tainted object (planned as a
// create with no private state at all), the object this state holds under
// the key (its refresh recorded it). Its id is 0 when it replaces nothing.
func (m *runMemory) lineageOf(ctx context.Context, priv privateData, k *keyRef) lineage {
	if priv != nil {
		if b, _ := priv.GetKey(ctx, privateLineage); len(b) > 0 {
			var id int64
			if json.Unmarshal(b, &id) == nil && id > 0 {
				return lineage{id: id}
			}
		}
	}
	if k != nil {
		if id := m.holder(*k); id != 0 {
			return lineage{id: id, tainted: true}
		}
	}
	return lineage{}
}

// newKey is the plan's first check of the key k of a new object (its
// username, its email; who names the object): free is false, with an error
// on p, when another resource of the configuration asks for k too. own is
// the id of this state's own object that holds k and that the plan
// replaces (deleted first; warned of, naming the object by kind and name,
// with loss, when it is tainted), 0 when there is none.
func (m *runMemory) newKey(ctx context.Context, priv privateData, k keyRef, who string, p path.Path, kind, name, loss string,
	diags *diag.Diagnostics) (own int64, free bool) {
	l := m.lineageOf(ctx, priv, &k)
	if !m.checkUse(k, keyUse{who: who, lineage: l}, p, diags) {
		return 0, false
	}
	warnTainted(diags, p, kind, name, l, loss)
	return l.id, true
}

// warnTainted says, in the plan of a tainted object (which Terraform plans
// as a create, replacing the object), what the replacement costs and how
// to keep the object instead.
func warnTainted(diags *diag.Diagnostics, p path.Path, kind, name string, l lineage, loss string) {
	if !l.tainted || l.id == 0 {
		return
	}
	diags.AddAttributeWarning(p, fmt.Sprintf("%s %s (id %d) is tainted: this plan replaces it", capitalize(kind), name, l.id),
		fmt.Sprintf("Terraform marked %s %d tainted (an earlier apply could not finish it), so this plan deletes it and "+
			"creates a new one. %s To keep %s %d instead, run terraform untaint on this resource's address before "+
			"applying: the apply then sets what the configuration says, in place.", kind, l.id, loss, kind, l.id))
}

// destroyAdvice ends every plan-time refusal: Terraform plans the
// configuration before a destroy too, so the refusal would stop it.
const destroyAdvice = "This check runs in every plan of this configuration, also the one Terraform makes before a " +
	"destroy: to destroy this workspace's objects meanwhile, run terraform destroy -refresh=false (a destroy plans " +
	"from the state alone, and deletes only what the state holds)."

// checkUse records that this resource asks for key k, and fails the plan,
// on p, when another resource of the configuration asks for it too.
func (m *runMemory) checkUse(k keyRef, u keyUse, p path.Path, diags *diag.Diagnostics) bool {
	other := m.use(k, u)
	if other == nil {
		return true
	}
	what := "Username"
	if k.space == "email" {
		what = "Email"
	}
	diags.AddAttributeError(p, fmt.Sprintf("%s asked for twice in this configuration", what),
		fmt.Sprintf("This resource (%s) and another of this configuration (%s) both ask for the %s %q, which is unique "+
			"among the reseller's %s: the API would refuse the second halfway through the apply. Nothing was written. "+
			"Change one of them, or remove one.\n\n%s",
			u.who, other.who, strings.ToLower(what), client.Printable(k.key), keySpaceOwners(k), destroyAdvice))
	return false
}

func keySpaceOwners(k keyRef) string {
	if k.space == "email" {
		return "customers (compared without regard to case, as the API compares them)"
	}
	return "accounts (the whole service)"
}

// accountWho, customerWho and fleetWho describe a resource for messages
// that name two: the address of the one the message is attached to is
// shown by Terraform; the other's is not known to the provider.
func accountWho(username string) string {
	return fmt.Sprintf("a vpnresellers_account with username %q", client.Printable(username))
}
func customerWho(email string) string {
	return fmt.Sprintf("a vpnresellers_customer with email %q", client.Printable(email))
}
func fleetWho(username string) string {
	return fmt.Sprintf("a vpnresellers_accounts with the key %q in accounts", client.Printable(username))
}

// takenAdvice is what to do about a key an object that is not this state's
// holds: importID is what to import it by.
func takenAdvice(importID string) string {
	return fmt.Sprintf("It may belong to someone else sharing the API account (another workspace, a copy of this one, "+
		"a person in the web panel), so it is never taken over, whatever its name or password. Choose another one. "+
		"Only if it is yours and nothing else manages it, import it:\n\n"+
		"  import {\n    to = <this resource's address>\n    id = %q\n  }\n\n"+
		"(or terraform import <address> %s).\n\n%s", importID, importID, destroyAdvice)
}

// customerMove is a customer that a plan moves to another project: the
// API cannot move one, so its accounts are deleted first, then the
// customer, and both are made again. The move can only finish when every
// account of the customer is replaced along with it by this plan.
type customerMove struct {
	accounts []dependent      // the customer's accounts on the API, at plan time
	along    map[int64]bool   // those a vpnresellers_account of this state replaces along
	blocking map[int64]string // those that cannot go along, and why
	waiter   bool
}

// moving records that the plan moves customer id, which owns accounts.
func (m *runMemory) moving(id int64, accounts []dependent) {
	if m == nil || len(accounts) == 0 {
		return
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.moves == nil {
		m.moves = map[int64]*customerMove{}
	}
	m.moves[id] = &customerMove{accounts: accounts, along: map[int64]bool{}, blocking: map[int64]string{}}
}

// moveOf returns the move of customer id, if the plan moves it.
func (m *runMemory) moveOf(id int64) *customerMove {
	if m == nil {
		return nil
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	return m.moves[id]
}

// moveQuiet is how long the plan of a customer's move waits, once nothing
// else of the plan moves, for the accounts it takes along.
var moveQuiet = 3 * time.Second

// takeAlong is the plan of account of customer, which the plan moves. along
// says the account is replaced with it (its customer_id follows the
// customer); why, when it is not, says why it cannot go along. The first
// account of the customer to be planned waits until every account of the
// customer is planned, or the rest of the plan stops, and then reports the
// accounts that keep the customer where it is: ok is false, and the
// message says what to do. Nothing is written before the plan passes.
func (m *runMemory) takeAlong(ctx context.Context, customer, account int64, along bool, why string) (blocked []string, report bool) {
	mv := m.moveOf(customer)
	if mv == nil {
		return nil, false
	}
	m.mu.Lock()
	if along {
		mv.along[account] = true
	} else {
		mv.blocking[account] = why
	}
	waiter := !mv.waiter
	mv.waiter = true
	m.activity++
	m.mu.Unlock()
	if !waiter {
		return nil, false
	}
	settled := func() bool {
		m.mu.Lock()
		defer m.mu.Unlock()
		for _, a := range mv.accounts {
			if !mv.along[a.ref.id] && mv.blocking[a.ref.id] == "" {
				return false
			}
		}
		return true
	}
	m.waitQuiet(ctx, moveQuiet, settled)
	m.mu.Lock()
	defer m.mu.Unlock()
	for _, a := range mv.accounts {
		switch why := mv.blocking[a.ref.id]; {
		case mv.along[a.ref.id]:
		case why != "":
			blocked = append(blocked, fmt.Sprintf("%s: %s", a, why))
		default:
			blocked = append(blocked, fmt.Sprintf("%s: not managed by this configuration (made in the web panel, by "+
				"another workspace or by another configuration?)", a))
		}
	}
	slices.Sort(blocked)
	return blocked, len(blocked) > 0
}

// reportBlockedMove fails the plan of a customer's move that some of its
// accounts keep from finishing.
func reportBlockedMove(diags *diag.Diagnostics, p path.Path, customer int64, blocked []string) {
	diags.AddAttributeError(p, fmt.Sprintf("Customer %d cannot be replaced", customer),
		fmt.Sprintf("This plan replaces customer %d (a move to another project, which the API cannot do in place, "+
			"-replace, or taint): it deletes every account of the customer, then the customer, and makes them again. "+
			"The API would refuse the customer's delete halfway, after this configuration's accounts were deleted, "+
			"because of these accounts of the customer, which do not go along:\n\n  %s\n\nNothing was written. Delete "+
			"them or move them to another customer first (an entry of a vpnresellers_accounts: point its customer_id "+
			"elsewhere in an apply of its own), or undo the change that replaces the customer.\n\n%s",
			customer, strings.Join(blocked, "\n  "), destroyAdvice))
}
