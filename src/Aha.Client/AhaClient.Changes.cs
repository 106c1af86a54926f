using System.Threading;

namespace Aha.Client
{
    /// <summary>The change feed of the client's account.</summary>
    public partial class AhaClient
    {
        private AhaChangeFeed? _changes;

        /// <summary>
        /// Every change made in the account (creates, updates, deletions, custom-field and description changes), read
        /// from Aha!'s audits with a checkpoint you store: <c>await foreach (var batch in aha.Changes.ReadAsync(checkpoint))</c>.
        /// See <see cref="AhaChangeFeed"/>.
        /// </summary>
        public virtual AhaChangeFeed Changes => LazyInitializer.EnsureInitialized(ref _changes, () => new AhaChangeFeed(this))!;
    }
}
