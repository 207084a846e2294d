package provider

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/hashicorp/terraform-plugin-framework-timeouts/resource/timeouts"
	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/vpnresellers/terraform-provider-vpnresellers/internal/client"
)

// Deletes of objects others depend on (a customer's accounts, a project's
// customers).
//
// The API refuses to delete a customer that has accounts, or a project that
// has customers. A configuration that refers to them by literal id (as
// `terraform query -generate-config-out` writes it) gives Terraform no order
// to follow, so a customer's delete can come before its accounts'. Waiting
// for them is not enough: Terraform runs at most -parallelism operations at
// once, and customers waiting in every slot leave none for the deletes of
// their accounts (a destroy of 50 customers with 500 accounts never ends
// that way).
//
// So a delete refused because of dependents deletes, itself, every
// dependent that this run deletes anyway: an object whose delete this
// run's plan planned (deleteRegistry). Those are this state's own objects,
// on their way out; their own delete then finds them gone. A dependent this
// run does not delete (made in the web panel, by another workspace, or by
// another configuration) is never touched: the delete waits while the
// dependents fall or the run learns of more of its deletes, and fails soon
// after that stops, naming what is left. timeouts.delete bounds the whole
// wait.
//
// How the run knows its planned deletes: every plan of a delete records
// the object, and writes into that object's planned private state the
// deletes recorded so far in the plan; every delete then publishes what its
// private state holds. The later an object was planned, the more its note
// knows, so the first few deletes of an apply tell it almost every planned
// delete of the plan.

// deleteStall is how long a delete refused for its dependents goes on once
// neither the dependents fall nor the run learns of any more of its deletes.
var deleteStall = 20 * time.Second

// maxDeleteNote caps the deletes one private note carries.
const maxDeleteNote = 20000

// privateData is the private state of a plan or an apply step.
type privateData interface {
	GetKey(context.Context, string) ([]byte, diag.Diagnostics)
	SetKey(context.Context, string, []byte) diag.Diagnostics
}

// dependent is an object that keeps another from being deleted.
type dependent struct {
	ref  objRef
	name string
}

func (d dependent) String() string {
	return fmt.Sprintf("%s (id %d)", client.Printable(d.name), d.ref.id)
}

// dependentsOf lists what keeps an object from being deleted: a customer's
// accounts, a project's customers.
func dependentsOf(ctx context.Context, c *client.Client, kind string, id int64) ([]dependent, error) {
	var out []dependent
	switch kind {
	case client.KindCustomer:
		accs, err := c.ListAllCustomerAccounts(ctx, id)
		for _, a := range accs {
			out = append(out, dependent{objRef{client.KindAccount, a.ID}, a.Username})
		}
		return out, err
	case client.KindProject:
		cs, err := c.ListAllProjectCustomers(ctx, id)
		for _, cu := range cs {
			out = append(out, dependent{objRef{client.KindCustomer, cu.ID}, cu.Email})
		}
		return out, err
	}
	return nil, nil
}

// deleteByKind is the client's delete of an object of kind.
func deleteByKind(c *client.Client, kind string) func(context.Context, int64) error {
	switch kind {
	case client.KindCustomer:
		return c.DeleteCustomer
	case client.KindProject:
		return c.DeleteProject
	}
	return c.DeleteAccount
}

// dependentsWhat names the dependents of kind: "accounts", "customers".
func dependentsWhat(kind string) string {
	if kind == client.KindProject {
		return "customers"
	}
	return "accounts"
}

// deleteObject deletes an object; one the API says is gone (client.IsGone)
// counts as deleted, any other 404 is an error. A customer or project that
// the API refuses to delete only because of its dependents is deleted once
// they are gone (clearDependents), for at most wait. priv is the delete's
// planned private state (nil: none).
func (r *resourceClient) deleteObject(ctx context.Context, diags *diag.Diagnostics, priv privateData, kind string, id int64, wait time.Duration) {
	r.run.learnDeletes(ctx, priv)
	reg := r.run.registry()
	reg.arrived(objRef{kind, id})
	defer reg.lock(objRef{kind, id})()
	if reg.isDone(kind, id) {
		return // a delete of this run that cleared its dependents took it already
	}
	del := deleteByKind(r.client, kind)
	err := del(ctx, id)
	if client.HasDependents(err, kind) {
		err = r.clearDependents(ctx, kind, id, wait, err)
	}
	if err == nil || client.IsGone(err, kind) {
		r.run.deleted(kind, id)
		return
	}
	summary := fmt.Sprintf("Unable to delete %s %d", kind, id)
	var left *dependentsLeftError
	var apiErr *client.APIError
	switch {
	case errors.As(err, &left):
		diags.AddError(summary, left.detail())
	case errors.As(err, &apiErr) && errors.Is(err, client.ErrValidation):
		diags.AddError(summary, "The API refused: "+apiErr.Message)
	default:
		addAPIError(diags, summary, err, nil)
	}
}

// dependentsLeftError is a delete that its dependents kept from happening.
type dependentsLeftError struct {
	kind    string
	id      int64
	message string // the API's refusal
	left    []dependent
	listErr error
	waited  time.Duration
	timeout bool // timeouts.delete ran out (else: nothing moved any more)
}

func (e *dependentsLeftError) Error() string { return e.message }

func (e *dependentsLeftError) detail() string {
	what := dependentsWhat(e.kind)
	var b strings.Builder
	fmt.Fprintf(&b, "The API refused: %s ", e.message)
	if e.timeout {
		fmt.Fprintf(&b, "The provider waited %s (timeouts.delete) while they were being deleted, and they are still there. ", e.waited.Round(time.Second))
	} else {
		fmt.Fprintf(&b, "This run does not delete them, and for %s nothing has moved (waited %s in all): ", deleteStall, e.waited.Round(time.Second))
	}
	switch {
	case e.listErr != nil:
		fmt.Fprintf(&b, "listing its %s failed: %s. ", what, withoutFullStop(e.listErr))
	case len(e.left) == 0:
		fmt.Fprintf(&b, "it has no %s left now: run terraform destroy (or apply) again. ", what)
	default:
		const shown = 20
		names := make([]string, 0, shown)
		for _, d := range e.left[:min(len(e.left), shown)] {
			names = append(names, d.String())
		}
		more := ""
		if len(e.left) > shown {
			more = fmt.Sprintf(", and %d more", len(e.left)-shown)
		}
		fmt.Fprintf(&b, "its %s still there (%d): %s%s. ", what, len(e.left), strings.Join(names, ", "), more)
	}
	fmt.Fprintf(&b, "They are not this configuration's to delete (made in the web panel, by another workspace or by "+
		"another configuration?), so none of them was touched. Delete them, or adopt them into this configuration so "+
		"that the same run deletes them, then run terraform destroy (or apply) again.")
	return b.String()
}

// clearDependents finishes a delete the API refused (first) only because of
// dependents: it deletes every dependent this run deletes anyway (a
// customer among a project's dependents with its own such accounts first),
// and waits for the rest while they fall or the run learns of more of its
// deletes, retrying the delete whenever something moved. It fails once
// nothing has moved for deleteStall, or after wait, with a
// *dependentsLeftError.
func (r *resourceClient) clearDependents(ctx context.Context, kind string, id int64, wait time.Duration, first error) error {
	start := time.Now()
	deadline := start.Add(wait)
	lastLeft, lastLearnt := -1, int64(-1)
	still := start
	del := deleteByKind(r.client, kind)
	err := first
	for {
		left, lerr := r.deleteOwnDependents(ctx, kind, id)
		if lerr == nil && len(left) == 0 || lerr == nil && len(left) < lastLeft {
			// Retry the delete: its dependents are gone, or fewer.
			if err = del(ctx, id); !client.HasDependents(err, kind) {
				return err
			}
		}
		learnt, changed := r.run.registry().state()
		if len(left) != lastLeft || learnt != lastLearnt {
			lastLeft, lastLearnt, still = len(left), learnt, time.Now()
		}
		now := time.Now()
		if now.After(deadline) || now.Sub(still) >= deleteStall {
			var apiErr *client.APIError
			msg := err.Error()
			if errors.As(err, &apiErr) {
				msg = apiErr.Message
			}
			return &dependentsLeftError{kind: kind, id: id, message: msg, left: left, listErr: lerr,
				waited: now.Sub(start), timeout: now.After(deadline)}
		}
		t := time.NewTimer(min(time.Second, time.Until(deadline)))
		select {
		case <-ctx.Done():
			t.Stop()
			return ctx.Err()
		case <-changed:
			t.Stop()
		case <-t.C:
		}
	}
}

// deleteOwnDependents deletes the dependents of an object that this run
// deletes anyway, and returns the ones left.
func (r *resourceClient) deleteOwnDependents(ctx context.Context, kind string, id int64) ([]dependent, error) {
	deps, err := dependentsOf(ctx, r.client, kind, id)
	if err != nil {
		return nil, err
	}
	var left []dependent
	for _, d := range deps {
		if !r.run.plannedDelete(d.ref) || r.deleteOwn(ctx, d.ref) != nil {
			left = append(left, d)
		}
	}
	return left, nil
}

// deleteOwn deletes an object this run deletes anyway, its own such
// dependents first; one found gone counts as deleted.
func (r *resourceClient) deleteOwn(ctx context.Context, ref objRef) error {
	reg := r.run.registry()
	defer reg.lock(ref)()
	if reg.isDone(ref.kind, ref.id) {
		return nil
	}
	del := deleteByKind(r.client, ref.kind)
	err := del(ctx, ref.id)
	if client.HasDependents(err, ref.kind) {
		if left, lerr := r.deleteOwnDependents(ctx, ref.kind, ref.id); lerr == nil && len(left) == 0 {
			err = del(ctx, ref.id)
		}
	}
	if err == nil || client.IsGone(err, ref.kind) {
		r.run.deleted(ref.kind, ref.id)
		return nil
	}
	return err
}

// defaultDeleteWait is how long a delete refused for its dependents may
// wait in all, when no timeouts block says.
var defaultDeleteWait = 2 * time.Minute

// deleteTimeoutsBlock is the `timeouts { delete = "..." }` block of a
// resource whose delete waits for its dependents.
func deleteTimeoutsBlock(ctx context.Context, what string) schema.Block {
	return timeouts.Block(ctx, timeouts.Opts{
		Delete: true,
		DeleteDescription: fmt.Sprintf("The longest a delete the API refuses only because %s still exist may wait for "+
			"them in all. A duration such as `\"30s\"` or `\"10m\"`; default `%s`. The delete deletes itself those of "+
			"them that the same run deletes anyway (a destroy of a configuration that refers to objects by literal id "+
			"gives Terraform no order to follow), waits for the others while they are being deleted, and fails, "+
			"naming them, once nothing has moved for %s.", what, strings.TrimSuffix(defaultDeleteWait.String(), "0s"), deleteStall),
	})
}

// nullTimeouts is the value of an absent timeouts block, for models built
// in code (moves, list results) rather than read from a plan or state.
func nullTimeouts() timeouts.Value {
	return timeouts.Value{Object: types.ObjectNull(map[string]attr.Type{"delete": types.StringType})}
}

// deleteWait is the delete timeout of t, defaultDeleteWait when unset.
func deleteWait(ctx context.Context, t timeouts.Value, diags *diag.Diagnostics) time.Duration {
	if t.IsNull() || len(t.AttributeTypes(ctx)) == 0 {
		return defaultDeleteWait
	}
	d, ds := t.Delete(ctx, defaultDeleteWait)
	diags.Append(ds...)
	return d
}
