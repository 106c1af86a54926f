using System;
using System.Collections.Generic;
using System.Runtime.CompilerServices;
using System.Threading;
using System.Threading.Tasks;

namespace Aha.Client
{
    /// <summary>
    /// The paging loop behind <see cref="AhaPageable{T}"/>: decides which page to request next, keeps at most
    /// <c>maxDegreeOfParallelism</c> requests in flight (1 = sequential), requests the next page as soon as an answer
    /// arrives (within <see cref="MaxPagesAhead"/> pages and <see cref="LookAheadBytes"/> read ahead of the caller),
    /// yields pages in order, and makes sure that consecutive pages connect while the list changes under it.
    /// </summary>
    /// <remarks>
    /// <para>
    /// The promise (README, "Paging"): a record that exists for the whole enumeration is yielded exactly once, in the
    /// server's order, whatever the pagination shape and whatever is created or deleted meanwhile; a record deleted
    /// before its page is read may be absent; the enumeration ends.
    /// </para>
    /// <para>
    /// How. Aha! pages by number, so a deletion before the cursor moves later records onto pages already read (they
    /// would be skipped) and a creation moves them onto the next page (they would come twice). A page read after the
    /// first is taken as the continuation of what was yielded so far only when that is certain:
    /// </para>
    /// <list type="bullet">
    /// <item><description>it holds a record already yielded: the list grew before the cursor; the records after the
    /// last one already yielded are the continuation (unseen ones before it were created meanwhile and are skipped,
    /// so the order stays the server's);</description></item>
    /// <item><description>it holds none, and its <c>total_records</c> is the one of the read the cursor stands on:
    /// nothing changed in between, so it starts right after the last record yielded;</description></item>
    /// <item><description>otherwise (the total changed, or the list has no <c>total_records</c>): a page requested
    /// before the cursor's read was answered (a read ahead, sequential or parallel) is read again;
    /// then the page before it is read again. If that page still ends with the cursor's last record and reports the
    /// same total, the page connects. If it holds records already yielded followed by others, those others are the
    /// continuation: the cursor moves onto that fresh read and the page is read again after it. If it holds no
    /// record already yielded (more than a page deleted), the walk goes one more page back, and then forward again
    /// page by page, each step checked the same way.</description></item>
    /// </list>
    /// <para>
    /// The one change no client of a page-numbered list can see: between two reads, as many records created (after
    /// the cursor) as deleted (before it), so that <c>total_records</c> stays the same, or, without pagination, the
    /// page before still ends where it did. A check that keeps finding changes is bounded (a budget of reads per
    /// page); the page is then taken as read.
    /// </para>
    /// <para>
    /// Stopping rules, all evaluated on the page just read (never on the server's <c>current_page</c>, which a
    /// misbehaving server may repeat): an empty page; <c>total_pages</c> &lt;= the page number (including
    /// <c>total_pages</c> = 0); a short page that completes <c>total_records</c>; <c>next_page</c> = null when
    /// <c>total_pages</c> is absent; without pagination, a page that is not exactly full (a full page only proves that
    /// there may be more; a larger one is the whole list); and pages that bring no record not seen before (the same page three times in a row: a server that ignores
    /// <c>page</c>; or <see cref="RememberedPages"/> pages, more than records created at the front can explain). The forward page number only grows, and a backward walk never goes below the first page, so the loop
    /// ends against any server that does not invent new records forever.
    /// </para>
    /// <para>
    /// De-duplication remembers the ids of the last <see cref="RememberedPages"/> pages that brought new records, so
    /// memory stays flat however long the list is.
    /// </para>
    /// </remarks>
    internal sealed class PagingEngine<T>
    {
        // A server that ignores the page parameter answers the same page again and again: three in a row stop the loop.
        private const int MaxRepeatedPages = 3;

        /// <summary>
        /// How many pages of ids the de-duplication remembers. Enough for records shifted by thousands of places while
        /// the list is paged (5,000 at per_page=200), yet constant: memory does not grow with the size of the export
        /// (a set of every id seen grew by ~90 bytes per record, 9 MB per 100,000 records; docs/benchmarks.md).
        /// </summary>
        internal const int RememberedPages = 25;

        /// <summary>
        /// How many pages the loop may read ahead of the caller at most (or the degree of parallelism, if larger). The
        /// next page is requested as soon as the previous answer arrives, not after its records were parsed and taken:
        /// in a fresh process the first parse takes longer than twenty round trips, and a rate-limited export inherits
        /// every delay of its first second (docs/benchmarks.md; with 10, the first window's last nine requests waited
        /// for page 1's parse). One second of Aha!'s budget: a caller that stops early leaves at most this many
        /// requests unread.
        /// </summary>
        internal const int MaxPagesAhead = 20;

        /// <summary>
        /// Beyond the first <c>degree</c> pages ahead, no further page is requested while the bodies that have arrived
        /// and that the caller has not reached add up to this many bytes, so memory stays bounded whatever the record
        /// size: ~20 pages of the default list attributes (~45 KB each), 2 pages of full records (~770 KB each).
        /// </summary>
        internal const long LookAheadBytes = 1024 * 1024;

        private readonly PageFetcher<T> _fetcher;
        private readonly int _startPage;
        private readonly int _perPage;
        private readonly int _degree;
        private readonly SemaphoreSlim _slots;

        // A logical clock: +1 whenever a response arrives. A read that started at a value >= another read's arrival
        // value was sent after that answer came back, so the server served it later.
        private readonly StrongBox<long> _clock = new StrongBox<long>();

        // The reads ahead of the loop (forward reads not yet taken), and what bounds them; all under _gate.
        private readonly object _gate = new object();
        private readonly Dictionary<int, PageRead> _window = new Dictionary<int, PageRead>();

        // One page's records are parsed at a time (the reads ahead wait for their turn without a thread): on two cores,
        // two cold parses at once left no thread to receive the next answers, and the requests they start waited.
        private readonly SemaphoreSlim _parsing = new SemaphoreSlim(1, 1);
        private readonly Func<Task<IDisposable>> _parseTurn;
        private int _consumer;      // the page the loop is on
        private int _nextAhead;     // the next page a read ahead would request
        private int _lastKnown;     // the last page the latest pagination says exists (0: none known yet)
        private int _aheadInFlight; // forward reads started whose answer has not arrived
        private long _aheadBytes;   // bodies of reads ahead that have arrived and that the loop has not taken yet
        private bool _closed;
        private CancellationToken _token;
        private ExecutionContext? _context;

        public PagingEngine(PageFetcher<T> fetcher, int startPage, int perPage, int degree)
        {
            _fetcher = fetcher;
            _startPage = startPage;
            _perPage = perPage;
            _degree = degree;
            _slots = new SemaphoreSlim(degree, degree);
            _parseTurn = TakeParseTurnAsync;
        }

        private async Task<IDisposable> TakeParseTurnAsync()
        {
            await _parsing.WaitAsync().ConfigureAwait(false);
            return new ParseTurn(_parsing);
        }

        public async IAsyncEnumerable<AhaPage<T>> RunAsync(CancellationToken ownerToken, [EnumeratorCancellation] CancellationToken callerToken)
        {
            using var linked = CancellationTokenSource.CreateLinkedTokenSource(ownerToken, callerToken);
            var token = linked.Token;
            _token = token;

            // Reads ahead are started from the arrival of the previous answer, on whatever thread reported it: they run
            // in the caller's context (its Activity, its AsyncLocals), not in the context of the request that arrived.
            _context = ExecutionContext.Capture();
            var seen = new HashSet<string>(StringComparer.Ordinal);
            var remembered = new Queue<List<string>>();
            var page = _startPage;
            long recordsSoFar = (long)(_startPage - 1) * _perPage;
            var pagesWithoutNewRecords = 0;
            var repeatedPages = 0;
            List<string?>? previousIds = null;
            var cursor = new Cursor();
            try
            {
                while (true)
                {
                    token.ThrowIfCancellationRequested();
                    PageRead read;
                    List<PageRead>? launch = null;
                    lock (_gate)
                    {
                        _consumer = page;
                        if (_window.TryGetValue(page, out var ahead))
                        {
                            _window.Remove(page);
                            ahead.InWindow = false;
                            _aheadBytes -= ahead.CountedBytes;
                            ahead.CountedBytes = 0;
                            read = ahead;
                        }
                        else
                        {
                            // No warm-up of the record type is started here: on two cores, one started as the first
                            // request left delayed the next request by ~250 ms (it competed with reading the first answer)
                            // and did not yield page 1 sooner (docs/benchmarks.md, fresh process, third round).
                            read = NewForwardRead(page, inWindow: false);
                            (launch ??= new List<PageRead>()).Add(read);
                        }

                        _nextAhead = Math.Max(_nextAhead, page + 1);
                        launch = Plan(launch);
                    }

                    Launch(launch, fromLoop: true);

                    var hasPrevious = cursor.HasBoundary;
                    var previous = cursor.Boundary;
                    await read.Task.ConfigureAwait(false);
                    var items = new List<T>(read.Fetched.Items.Count);
                    var added = new List<string>(read.Fetched.Items.Count);
                    read = await AdvanceAsync(read, page, cursor, seen, items, added, token).ConfigureAwait(false);
                    var fetched = read.Fetched;

                    var noProgress = items.Count == 0 && fetched.Items.Count > 0;
                    var ids = IdsOf(fetched.Items);
                    repeatedPages = noProgress && previousIds != null && SameIds(ids, previousIds) && hasPrevious && TotalsAgree(fetched.Pagination, previous) ? repeatedPages + 1 : 0;
                    previousIds = ids;
                    pagesWithoutNewRecords = noProgress ? pagesWithoutNewRecords + 1 : 0;
                    Remember(added, remembered, seen);
                    recordsSoFar += fetched.Items.Count;
                    var hasNext = HasNextPage(fetched, page, recordsSoFar) && repeatedPages < MaxRepeatedPages && pagesWithoutNewRecords < RememberedPages;
                    if (hasNext)
                    {
                        // The parsed pagination is the reference: it says how far reads ahead may go (for a shape
                        // without total_pages, one page).
                        lock (_gate)
                        {
                            _lastKnown = Has(fetched.Pagination, PaginationMembers.TotalPages) ? fetched.Pagination!.TotalPages : Math.Max(_lastKnown, page + 1);
                            launch = Plan(null);
                        }

                        Launch(launch, fromLoop: true);
                    }

                    _fetcher.PrepareForCaller(items);
                    yield return new AhaPage<T>(items, page, _perPage, fetched.Pagination, hasNext ? page + 1 : (int?)null);
                    if (!hasNext)
                    {
                        yield break;
                    }

                    page++;
                }
            }
            finally
            {
                List<PageRead> abandoned;
                lock (_gate)
                {
                    _closed = true;
                    abandoned = new List<PageRead>(_window.Values);
                    _window.Clear();
                }

                if (abandoned.Count > 0)
                {
                    // Pages fetched ahead that nobody will read: cancel them and observe their outcome.
                    linked.Cancel();
                    foreach (var ahead in abandoned)
                    {
                        try
                        {
                            await ahead.Task.ConfigureAwait(false);
                        }
                        catch (Exception)
                        {
                            // Cancelled or failed after the caller stopped reading: nothing to report.
                        }
                    }
                }
            }
        }

        // A read of the next pages in order (the loop's own, or one ahead of it); its arrival may start the next one.
        private PageRead NewForwardRead(int page, bool inWindow)
        {
            _aheadInFlight++;
            return new PageRead(page, _clock, OnForwardArrived, _parseTurn) { InWindow = inWindow };
        }

        /// <summary>
        /// Under the lock: the reads ahead that may start now. Pages after the loop's, up to the last page known, with at
        /// most <c>degree</c> answers awaited, and buffered (arrived, not yet taken by the loop) within
        /// <see cref="MaxPagesAhead"/> pages and, beyond the first <c>degree</c> pages ahead, <see cref="LookAheadBytes"/>.
        /// </summary>
        private List<PageRead>? Plan(List<PageRead>? launch)
        {
            if (_closed || _token.IsCancellationRequested)
            {
                return launch;
            }

            while (true)
            {
                var next = Math.Max(_nextAhead, _consumer + 1);
                var ahead = next - _consumer;
                if (next > _lastKnown || ahead > Math.Max(_degree, MaxPagesAhead) || _aheadInFlight >= _degree
                    || (ahead > _degree && _aheadBytes >= LookAheadBytes))
                {
                    return launch;
                }

                _nextAhead = next + 1;
                if (_window.ContainsKey(next))
                {
                    continue;
                }

                var read = NewForwardRead(next, inWindow: true);
                _window[next] = read;
                (launch ??= new List<PageRead>()).Add(read);
            }
        }

        // Called once per forward read, when its answer has arrived (before its records are parsed) or it ended without one.
        private void OnForwardArrived(PageRead read, bool answered)
        {
            List<PageRead>? launch = null;
            lock (_gate)
            {
                _aheadInFlight--;
                if (read.InWindow && answered)
                {
                    // Unknown size (a body not buffered by the client's pipeline): counts as the whole budget, so that
                    // only the first degree pages are read ahead, as without a size.
                    read.CountedBytes = read.Bytes ?? LookAheadBytes;
                    _aheadBytes += read.CountedBytes;
                }

                if (answered && read.EarlyPagination is { } early && Has(early, PaginationMembers.TotalPages))
                {
                    _lastKnown = early.TotalPages;
                }

                if (answered)
                {
                    launch = Plan(null);
                }
            }

            Launch(launch, fromLoop: false);
        }

        private void Launch(List<PageRead>? launch, bool fromLoop)
        {
            if (launch is null)
            {
                return;
            }

            if (fromLoop || _context is null)
            {
                foreach (var read in launch)
                {
                    _ = FetchAsync(read, _token);
                }

                return;
            }

            // Sent at once, on the thread that reported the arrival: the next request leaves before this answer's
            // records are parsed.
            ExecutionContext.Run(_context.CreateCopy(), state =>
            {
                foreach (var read in (List<PageRead>)state!)
                {
                    _ = FetchAsync(read, _token);
                }
            }, launch);
        }

        /// <summary>
        /// Adds to <paramref name="items"/> the continuation of what was yielded so far up to the end of page
        /// <paramref name="page"/>, reading pages again as needed (see the remarks of the class); returns the read of
        /// <paramref name="page"/> that was used.
        /// </summary>
        private async Task<PageRead> AdvanceAsync(PageRead read, int page, Cursor cursor, HashSet<string> seen, List<T> items, List<string> added, CancellationToken token)
        {
            var k = page;
            var current = read;

            // Bounded: a server that keeps changing the list during the checks gets the current read as it is.
            var budget = (4 * (page - _startPage + 2)) + 8;
            while (true)
            {
                var fetched = current.Fetched;
                var boundary = cursor.Boundary;
                if (!cursor.HasBoundary || seen.Count == 0 || k <= _startPage || budget <= 0
                    || Overlaps(fetched.Items, seen) || SameTotal(fetched.Pagination, boundary))
                {
                    TakeAfterLastSeen(fetched.Items, items, seen, added);
                    cursor.Set(current, current.ArrivalStamp, _fetcher);
                    if (k >= page)
                    {
                        return current;
                    }

                    k++;
                    current = await ReadAsync(k, token).ConfigureAwait(false);
                    budget--;
                    continue;
                }

                budget--;
                if (current.StartStamp < cursor.Stamp)
                {
                    // Requested before the page before it was answered, and the list changed: read it again now.
                    current = await ReadAsync(k, token).ConfigureAwait(false);
                    continue;
                }

                // Did records deleted before the cursor move the continuation onto page k-1? Read it again.
                var back = await ReadAsync(k - 1, token).ConfigureAwait(false);
                if (Overlaps(back.Fetched.Items, seen))
                {
                    if (EndsWith(back.Fetched.Items, cursor.LastId) && TotalsAgree(back.Fetched.Pagination, fetched.Pagination))
                    {
                        // Page k-1 still ends where the cursor is, and nothing changed between the two reads: page k
                        // starts right after it.
                        TakeAfterLastSeen(fetched.Items, items, seen, added);
                        cursor.Set(current, Math.Max(current.ArrivalStamp, back.ArrivalStamp), _fetcher);
                        if (k >= page)
                        {
                            return current;
                        }

                        k++;
                        current = await ReadAsync(k, token).ConfigureAwait(false);
                        continue;
                    }

                    // The list moved: continue from the fresh read of page k-1, then read page k again after it.
                    TakeAfterLastSeen(back.Fetched.Items, items, seen, added);
                    cursor.Set(back, back.ArrivalStamp, _fetcher);
                    current = await ReadAsync(k, token).ConfigureAwait(false);
                    continue;
                }

                // Not even page k-1 holds a record already yielded: the continuation starts further back.
                k--;
                current = back;
            }
        }

        private async Task<PageRead> ReadAsync(int page, CancellationToken token)
        {
            var read = new PageRead(page, _clock, null, _parseTurn);
            await FetchAsync(read, token).ConfigureAwait(false);
            await read.Task.ConfigureAwait(false);
            return read;
        }

        private bool EndsWith(IReadOnlyList<T> items, string? id)
            => id != null && items.Count > 0 && items[items.Count - 1] is { } last && string.Equals(_fetcher.IdOf(last), id, StringComparison.Ordinal);

        // Never throws: the outcome is the read's Task.
        private async Task FetchAsync(PageRead read, CancellationToken token)
        {
            try
            {
                // A slot is a request on the wire: it is given back when the response arrives, so the next request can
                // go out while this response is deserialized.
                await _slots.WaitAsync(token).ConfigureAwait(false);
                read.Hold(_slots);
                read.StartStamp = Interlocked.Read(ref _clock.Value);

                // The generated list methods report the arrival of the response before they deserialize it; the
                // AsyncLocal set here flows into the call and nowhere else.
                PageResponseSignal.Current = read.OnResponse;
                PageResponseSignal.CurrentBody = read.OnBody;
                var fetched = await _fetcher.FetchAsync(read.Page, _perPage, token).ConfigureAwait(false);
                read.Fetched = fetched;

                // Arrived, if the list method did not report it before its parse.
                read.OnResponse();
                read.Complete(fetched);
            }
            catch (Exception ex)
            {
                // Failed or cancelled: the slot is free, and whoever awaits the read gets the exception.
                read.Fail(ex);
            }
        }

        // Forgets the ids of the oldest page once more than RememberedPages pages added ids.
        private static void Remember(List<string> added, Queue<List<string>> remembered, HashSet<string> seen)
        {
            if (added.Count == 0)
            {
                return;
            }

            remembered.Enqueue(added);
            while (remembered.Count > RememberedPages)
            {
                foreach (var id in remembered.Dequeue())
                {
                    seen.Remove(id);
                }
            }
        }

        // The ids of a page, taken before PrepareForCaller may clear them.
        private List<string?> IdsOf(IReadOnlyList<T> items)
        {
            var ids = new List<string?>(items.Count);
            foreach (var item in items)
            {
                ids.Add(item is null ? null : _fetcher.IdOf(item));
            }

            return ids;
        }

        private static bool SameIds(List<string?> a, List<string?> b)
        {
            if (a.Count != b.Count)
            {
                return false;
            }

            for (var i = 0; i < a.Count; i++)
            {
                if (a[i] is null || !string.Equals(a[i], b[i], StringComparison.Ordinal))
                {
                    return false;
                }
            }

            return true;
        }

        private bool Overlaps(IReadOnlyList<T> items, HashSet<string> seen)
        {
            if (seen.Count == 0)
            {
                return false;
            }

            foreach (var item in items)
            {
                if (item is not null && _fetcher.IdOf(item) is { } id && seen.Contains(id))
                {
                    return true;
                }
            }

            return false;
        }

        /// <summary>
        /// Adds to <paramref name="target"/> the records of <paramref name="source"/> after the last one already yielded
        /// (the ones before it were created meanwhile, and taking them would break the server's order); records with no
        /// id are kept.
        /// </summary>
        private void TakeAfterLastSeen(IReadOnlyList<T> source, List<T> target, HashSet<string> seen, List<string> added)
        {
            var start = 0;
            for (var i = 0; i < source.Count; i++)
            {
                if (source[i] is { } item && _fetcher.IdOf(item) is { } id && seen.Contains(id))
                {
                    start = i + 1;
                }
            }

            for (var i = start; i < source.Count; i++)
            {
                var item = source[i];
                if (item is null)
                {
                    continue;
                }

                var id = _fetcher.IdOf(item);
                if (id is null)
                {
                    target.Add(item);
                }
                else if (seen.Add(id))
                {
                    target.Add(item);
                    added.Add(id);
                }
            }
        }

        private bool HasNextPage(FetchedPage<T> fetched, int page, long recordsSoFar)
        {
            var pagination = fetched.Pagination;
            if (fetched.Items.Count == 0)
            {
                return false;
            }

            if (pagination is null)
            {
                // No pagination: a full page only proves that there may be more; a larger one is the whole list (a
                // server that ignores per_page), a smaller one the last page.
                return fetched.Items.Count == _perPage;
            }

            if (Has(pagination, PaginationMembers.TotalPages))
            {
                if (pagination.TotalPages <= 0 || page >= pagination.TotalPages)
                {
                    return false;
                }
            }
            else if (Has(pagination, PaginationMembers.NextPage))
            {
                if (pagination.NextPage is not { } next || next <= page)
                {
                    return false;
                }
            }

            if (fetched.Items.Count < EffectivePageSize(pagination))
            {
                // A short page ends the list unless total_records says records are still to come (a server that
                // serves smaller pages than asked for).
                return Has(pagination, PaginationMembers.TotalRecords) && recordsSoFar < pagination.TotalRecords;
            }

            return Has(pagination, PaginationMembers.TotalPages) || Has(pagination, PaginationMembers.NextPage)
                || !Has(pagination, PaginationMembers.TotalRecords) || recordsSoFar < pagination.TotalRecords;
        }

        private int EffectivePageSize(Pagination? pagination)
            => pagination?.PerPage is { } served && served > 0 && served < _perPage ? served : _perPage;

        // Both reads report total_records, and the same: nothing was deleted or created between them (or exactly as
        // many of each, which no client of a page-numbered list can see).
        private static bool SameTotal(Pagination? a, Pagination? b)
            => Has(a, PaginationMembers.TotalRecords) && Has(b, PaginationMembers.TotalRecords) && a!.TotalRecords == b!.TotalRecords;

        private static bool TotalsAgree(Pagination? a, Pagination? b)
            => SameTotal(a, b) || (!Has(a, PaginationMembers.TotalRecords) && !Has(b, PaginationMembers.TotalRecords));

        private static bool Has(Pagination? pagination, PaginationMembers member)
            => pagination != null && (pagination.Present & member) != 0;

        /// <summary>One request for one page, with the logical times at which it was sent and answered.</summary>
        private sealed class PageRead
        {
            private readonly TaskCompletionSource<FetchedPage<T>> _done = new TaskCompletionSource<FetchedPage<T>>(TaskCreationOptions.RunContinuationsAsynchronously);
            private readonly StrongBox<long> _clock;
            private readonly Action<PageRead, bool>? _arrived;
            private int _answered;
            private SemaphoreSlim? _slot;

            public PageRead(int page, StrongBox<long> clock, Action<PageRead, bool>? arrived, Func<Task<IDisposable>>? parseTurn)
            {
                Page = page;
                _clock = clock;
                _arrived = arrived;
                OnResponse = () => MarkArrived(answered: true);
                OnBody = response =>
                {
                    EarlyPagination = global::Aha.Client.EarlyPagination.TryRead(response);
                    if (response.IsSuccessStatusCode && response.Content is global::Aha.Client.Resilience.PooledBufferContent content)
                    {
                        Bytes = content.Length;
                        if (parseTurn != null)
                        {
                            content.GateReads(parseTurn);
                        }
                    }
                    else
                    {
                        Bytes = null;
                    }
                };
            }

            public int Page { get; }

            /// <summary>The pagination read from the end of the last buffered attempt's body, before its records are parsed.</summary>
            public Pagination? EarlyPagination { get; private set; }

            /// <summary>The size of the last buffered successful body, when the client's pipeline buffered it.</summary>
            public long? Bytes { get; private set; }

            /// <summary>Held in the engine's window of reads ahead (changed under the engine's lock).</summary>
            public bool InWindow { get; set; }

            /// <summary>What this read adds to the bytes buffered ahead (under the engine's lock).</summary>
            public long CountedBytes { get; set; }

            public Action<System.Net.Http.HttpResponseMessage> OnBody { get; }

            /// <summary>Completes with the page once its records are parsed, or with the request's exception.</summary>
            public Task<FetchedPage<T>> Task => _done.Task;

            public FetchedPage<T> Fetched { get; set; } = null!;

            public long StartStamp { get; set; }

            public long ArrivalStamp { get; private set; }

            /// <summary>Reports the arrival of the response (before its deserialization when the list method says so).</summary>
            public Action OnResponse { get; }

            public void Hold(SemaphoreSlim slot) => _slot = slot;

            public void Complete(FetchedPage<T> fetched) => _done.TrySetResult(fetched);

            public void Fail(Exception exception)
            {
                MarkArrived(answered: false);
                _done.TrySetException(exception);
            }

            private void MarkArrived(bool answered)
            {
                if (Interlocked.Exchange(ref _answered, 1) == 0)
                {
                    ArrivalStamp = Interlocked.Increment(ref _clock.Value);
                    _slot?.Release();
                    _arrived?.Invoke(this, answered);
                }
            }
        }

        /// <summary>A turn to parse, given back once (the content and its stream may both give it back).</summary>
        private sealed class ParseTurn : IDisposable
        {
            private SemaphoreSlim? _parsing;

            public ParseTurn(SemaphoreSlim parsing) => _parsing = parsing;

            public void Dispose() => Interlocked.Exchange(ref _parsing, null)?.Release();
        }

        /// <summary>Where the enumeration stands: the read whose records were taken last, when it was verified, and its last id.</summary>
        private sealed class Cursor
        {
            // Only the pagination of that read is kept, not its records: they may be large, and they are already yielded.
            public bool HasBoundary { get; private set; }

            public Pagination? Boundary { get; private set; }

            public long Stamp { get; private set; }

            public string? LastId { get; private set; }

            public void Set(PageRead read, long stamp, PageFetcher<T> fetcher)
            {
                HasBoundary = true;
                Boundary = read.Fetched.Pagination;
                Stamp = stamp;
                var items = read.Fetched.Items;
                if (items.Count > 0 && items[items.Count - 1] is { } last)
                {
                    LastId = fetcher.IdOf(last);
                }
            }
        }
    }
}
