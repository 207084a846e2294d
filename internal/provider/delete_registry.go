package provider

import (
	"context"
	"encoding/base64"
	"encoding/binary"
	"encoding/json"
	"slices"
	"sync"

	"github.com/hashicorp/terraform-plugin-framework/diag"
)

// What a run knows of its deletes (see delete_wait.go): the ones its plan
// planned, learnt from the notes that every plan of a delete writes into
// that object's private state, and the ones done.

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
