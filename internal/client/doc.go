// Package client is a typed Go client for the VPNresellers REST API v4.1.
//
// It is a plain API client, for any Go program: it unwraps the API's `data` envelope, checks
// every answer before handing it on, turns failures into typed errors a
// caller can branch on (*APIError for the API's own error answers,
// *TransportError, *TimeoutError, *MalformedAnswerError, *RetryWaitError,
// *UnknownOutcomeError, *ExistingObjectError), retries what is safe to retry,
// paces requests and walks paginated lists.
//
// # Retries and rate limits
//
// Every call has one retry budget: MaxRetries for failures (5xx answers,
// transport errors, timeouts) and, separately, MaxRateLimitRetries for 429
// answers, so a busy API cannot use up the budget meant for a failing one.
// Waits are exponential with jitter; a Retry-After is honoured with jitter
// added, so concurrent callers do not come back at the same instant. A
// Retry-After longer than MaxRetryWait fails at once with a *RetryWaitError.
//
// The client paces itself adaptively (AIMD): there is no limit until the
// first 429 (unless RequestsPerSecond sets one), then the rate is cut to half
// of what was being sent, cut by half again on each later 429 (at most once
// a second) and raised a little on each success, never above
// RequestsPerSecond when that is set. Every wait longer than a second is
// logged at LevelInfo.
//
// # Exactly-once creates
//
// Accounts and projects are billed, so CreateAccount, CreateCustomer and
// CreateProject create an object exactly once, or fail saying loudly that
// they may have. A create whose answer is lost (a transport error after the
// request was sent, a timeout, a 5xx answer, a 2xx answer that cannot be
// decoded or is not the object asked for) is settled by evidence, never by
// hope:
//
//   - Before the first create of a kind, the Client notes that kind's
//     high-water mark: the largest id that exists (lists are ordered by id, so
//     two one-item pages tell it: the first for the count, the last for the
//     id). It costs two requests per kind per Client, none per create.
//   - The Client remembers every id it created or adopted itself.
//   - Nothing is adopted without proof that this Client made it, because
//     other users of the same API account (another workspace, a person in
//     the web panel) may create an object with the same key at any moment.
//     A project is created carrying a one-time claim as its description, a
//     customer carrying one as its first name; once the project or customer
//     is known to be ours, a PUT sets the real value (one request more per
//     create than the API needs; when only that PUT fails, the object comes
//     back with an *IncompleteCreateError). An account found after a lost
//     answer is this create's when it is newer than the mark and accepts
//     the password this create sent (GET /un/accounts/show with its own
//     credentials; for a username with a colon, which Basic auth cannot
//     carry, the account walk and POST /accounts/{id}/validate).
//   - After an ambiguous outcome the client looks for the object: an account
//     by its username with its own credentials, a customer by its email
//     carrying the claim, a project by the claim. A candidate is this
//     request's object only when its id is above the mark and the Client has
//     not claimed it already. A customer with the email but without the
//     claim is someone else's: the create fails with an
//     *ExistingObjectError naming it; it is never adopted. An account whose
//     username was taken before the create is never adopted either,
//     whatever password it accepts: a password proves who knows it, not
//     who made the account. Only a caller holding its own record of the
//     earlier create (the PendingCreate of an *UnknownOutcomeError) may
//     resume it (ResumeCreateAccount), taking the account newer than the
//     record's mark that accepts the password. None found means the POST did not
//     act and it is tried again (but not after a timeout, when the server
//     may still act: then the client looks once more a RequestTimeout later,
//     and if it is still not there the outcome is unknown).
//   - The POST attempts and the lookups share one retry budget, so the
//     defaults send at most 1+MaxRetries POSTs per create.
//   - A refusal after an attempt that may have acted (422 "already taken" in
//     particular) is settled by one more lookup, and otherwise reported as an
//     *UnknownOutcomeError, never as a plain validation error.
//   - When the evidence is missing, the create fails with an
//     *UnknownOutcomeError whose Pending field records the mark, the key and
//     the claim. A caller that keeps Pending
//     (for example in private state) can settle the create later with
//     FindPendingCreate, before it ever creates the object again.
//   - A create already sent is not abandoned when ctx is cancelled: the POST
//     and the lookups that settle it run on a context detached from ctx, which
//     is cancelled CancelGrace after ctx is. A create not yet sent is not
//     sent after ctx is cancelled. Config.Stop ends all of it at once.
//
// What the proof cannot rule out: after a create whose outcome is unknown,
// someone else creating an account with the same username and the same
// password before the create is resumed.
package client
