using System;
using System.Globalization;

namespace Aha.Client
{
    /// <summary>
    /// The position of a change feed, as an opaque string the caller stores (<see cref="ToString"/>) and passes back
    /// (<see cref="Parse"/>). It names the last audit read and when the feed last read up to it, so a resume knows
    /// whether Aha! still holds everything after it (audits are kept 12 months).
    /// </summary>
    internal sealed class AhaChangeCheckpoint
    {
        private const string Prefix = "aha-changes.v1";

        public AhaChangeCheckpoint(string? afterId, DateTimeOffset readAt)
        {
            AfterId = afterId;
            ReadAt = readAt;
        }

        /// <summary>The last audit id delivered; null before the first one (the feed then starts at <see cref="ReadAt"/>).</summary>
        public string? AfterId { get; }

        /// <summary>Up to when the feed had read (the start time when <see cref="AfterId"/> is null).</summary>
        public DateTimeOffset ReadAt { get; }

        public override string ToString() => AfterId is null
            ? string.Join(":", Prefix, "t", ReadAt.ToUnixTimeMilliseconds().ToString(CultureInfo.InvariantCulture))
            : string.Join(":", Prefix, "a", AfterId, ReadAt.ToUnixTimeMilliseconds().ToString(CultureInfo.InvariantCulture));

        public static AhaChangeCheckpoint Parse(string checkpoint)
        {
            if (checkpoint is null)
            {
                throw new ArgumentNullException(nameof(checkpoint));
            }

            var parts = checkpoint.Split(':');
            if (parts.Length >= 3 && parts[0] == Prefix)
            {
                if (parts[1] == "t" && parts.Length == 3 && TryTime(parts[2], out var since))
                {
                    return new AhaChangeCheckpoint(null, since);
                }

                if (parts[1] == "a" && parts.Length == 4 && IsId(parts[2]) && TryTime(parts[3], out var at))
                {
                    return new AhaChangeCheckpoint(parts[2], at);
                }
            }

            throw new ArgumentException("This is not a change-feed checkpoint (store and pass back exactly the string the feed gave).", nameof(checkpoint));
        }

        /// <summary>Compares two audit ids as numbers (they are decimal digits, possibly beyond 64 bits).</summary>
        public static int CompareIds(string left, string right)
        {
            left = left.TrimStart('0');
            right = right.TrimStart('0');
            return left.Length != right.Length ? left.Length.CompareTo(right.Length) : string.CompareOrdinal(left, right);
        }

        public static bool IsId(string text)
        {
            if (text.Length == 0)
            {
                return false;
            }

            foreach (var c in text)
            {
                if (c < '0' || c > '9')
                {
                    return false;
                }
            }

            return true;
        }

        private static bool TryTime(string text, out DateTimeOffset time)
        {
            if (long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var ms))
            {
                time = DateTimeOffset.FromUnixTimeMilliseconds(ms);
                return true;
            }

            time = default;
            return false;
        }
    }
}
