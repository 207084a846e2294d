package provider

import (
	"context"
	"encoding/base64"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"slices"
	"strings"
	"sync"
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

// privatePlannedDeletes is the private-state key of that note.
const privatePlannedDeletes = "planned_deletes"

// deleteRegistry is what a run knows of its deletes: the ones its plan
// planned and the ones done.
type deleteRegistry struct {
	mu      sync.Mutex
	planned map[objRef]bool
	order   []objRef
	done    map[objRef]bool
	// changed is closed, and replaced, whenever the registry learns
	// something.
	changed chan struct{}
	learnt  int64
	locks   map[objRef]*sync.Mutex
}

func (d *deleteRegistry) changedLocked() {
	d.learnt++
	if d.changed != nil {
		close(d.changed)
	}
	d.changed = make(chan struct{})
}

// plan records deletes this run's plan planned.
func (d *deleteRegistry) plan(refs ...objRef) {
	d.mu.Lock()
	defer d.mu.Unlock()
	if d.planned == nil {
		d.planned = map[objRef]bool{}
	}
	grew := false
	for _, r := range refs {
		if r.id > 0 && !d.planned[r] {
			d.planned[r] = true
			d.order = append(d.order, r)
			grew = true
		}
	}
	if grew {
		d.changedLocked()
	}
}

// lock takes the lock of one object's delete: the delete of its own node
// and a delete that clears its dependents never send it twice. Locks are
// taken from the object down to its dependents only.
func (d *deleteRegistry) lock(r objRef) func() {
	d.mu.Lock()
	if d.locks == nil {
		d.locks = map[objRef]*sync.Mutex{}
	}
	mu := d.locks[r]
	if mu == nil {
		mu = &sync.Mutex{}
		d.locks[r] = mu
	}
	d.mu.Unlock()
	mu.Lock()
	return mu.Unlock
}

// arrived records that the delete of r has started: it is planned, and the
// run moves (Terraform works through its deletes, even those a delete that
// cleared its dependents made already).
func (d *deleteRegistry) arrived(r objRef) {
	d.plan(r)
	d.mu.Lock()
	defer d.mu.Unlock()
	d.changedLocked()
}

func (d *deleteRegistry) isPlanned(r objRef) bool {
	d.mu.Lock()
	defer d.mu.Unlock()
	return d.planned[r]
}

func (d *deleteRegistry) markDone(r objRef) {
	d.mu.Lock()
	defer d.mu.Unlock()
	if d.done == nil {
		d.done = map[objRef]bool{}
	}
	if !d.done[r] {
		d.done[r] = true
		d.changedLocked()
	}
}

func (d *deleteRegistry) isDone(kind string, id int64) bool {
	d.mu.Lock()
	defer d.mu.Unlock()
	return d.done[objRef{kind, id}]
}

// state returns how much the registry has learnt, and a channel closed when
// it learns more.
func (d *deleteRegistry) state() (int64, <-chan struct{}) {
	d.mu.Lock()
	defer d.mu.Unlock()
	if d.changed == nil {
		d.changed = make(chan struct{})
	}
	return d.learnt, d.changed
}

// note is the planned deletes known so far, for a private note.
func (d *deleteRegistry) note() []byte {
	d.mu.Lock()
	refs := slices.Clone(d.order[:min(len(d.order), maxDeleteNote)])
	d.mu.Unlock()
	byKind := map[string][]int64{}
	for _, r := range refs {
		byKind[r.kind] = append(byKind[r.kind], r.id)
	}
	out := map[string]string{}
	for kind, ids := range byKind {
		slices.Sort(ids)
		var buf []byte
		prev := int64(0)
		for _, id := range ids {
			buf = binary.AppendUvarint(buf, uint64(id-prev))
			prev = id
		}
		out[kind] = base64.RawStdEncoding.EncodeToString(buf)
	}
	b, _ := json.Marshal(out) // a map of strings always marshals
	return b
}

// learn records the planned deletes of a note. A note it cannot read
// (written by another version) teaches nothing.
func (d *deleteRegistry) learn(note []byte) {
	var in map[string]string
	if len(note) == 0 || json.Unmarshal(note, &in) != nil {
		return
	}
	var refs []objRef
	for kind, enc := range in {
		buf, err := base64.RawStdEncoding.DecodeString(enc)
		if err != nil {
			continue
		}
		prev := int64(0)
		for len(buf) > 0 {
			delta, n := binary.Uvarint(buf)
			if n <= 0 {
				break
			}
			buf = buf[n:]
			prev += int64(delta)
			refs = append(refs, objRef{kind, prev})
		}
	}
	d.plan(refs...)
}

// privateData is the private state of a plan or an apply step.
type privateData interface {
	GetKey(context.Context, string) ([]byte, diag.Diagnostics)
	SetKey(context.Context, string, []byte) diag.Diagnostics
}

// planDeletes records, in a plan that deletes objects (a destroy, or a
// resource removed from the configuration), that this run deletes them,
// and writes into the planned private state what the run knows of its
// deletes so far.
func (m *runMemory) planDeletes(ctx context.Context, priv privateData, diags *diag.Diagnostics, refs ...objRef) {
	if m == nil {
		return
	}
	m.touch()
	m.deletes.plan(refs...)
	debugDeletes("plan delete %v: known %d", refs[:min(len(refs), 1)], len(m.deletes.planned))
	diags.Append(priv.SetKey(ctx, privatePlannedDeletes, m.deletes.note())...)
}

// learnDeletes publishes, at the start of a delete, what its planned
// private state knows of the run's planned deletes.
func (m *runMemory) learnDeletes(ctx context.Context, priv privateData) {
	if m == nil || priv == nil {
		return
	}
	note, _ := priv.GetKey(ctx, privatePlannedDeletes)
	m.deletes.learn(note)
}

// deleted records a delete done (or an object found gone).
func (m *runMemory) deleted(kind string, id int64) {
	if m != nil {
		m.deletes.markDone(objRef{kind, id})
	}
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
	debugDeletes("delete %s %d: known %d", kind, id, len(r.run.registry().planned))
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
		debugDeletes("clear %s %d: left %d (was %d) err %v learnt %d (was %d) still %s", kind, id, len(left), lastLeft, lerr, learnt, lastLearnt, time.Since(still))
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

// plannedDelete reports whether this run's plan deletes the object.
func (m *runMemory) plannedDelete(ref objRef) bool {
	return m != nil && m.deletes.isPlanned(ref)
}

// registry is the run's deleteRegistry; an unconfigured provider (nil
// memory) gets an empty one of its own.
func (m *runMemory) registry() *deleteRegistry {
	if m == nil {
		return &deleteRegistry{}
	}
	return &m.deletes
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

func debugDeletes(format string, args ...any) {
	if p := os.Getenv("VPN_DEBUG_DELETES"); p != "" {
		f, _ := os.OpenFile(p, os.O_APPEND|os.O_CREATE|os.O_WRONLY, 0o600)
		fmt.Fprintf(f, time.Now().Format("15:04:05.000 ")+format+"\n", args...)
		f.Close()
	}
}
