using System;
using System.Net.Http;
using System.Text;
using Aha.Client.Resilience;

namespace Aha.Client
{
    /// <summary>
    /// Reads a list page's <c>pagination</c> from the end of its buffered body, before the records are parsed. Aha!
    /// writes it as the last member of the answer (<c>{"features":[...],"pagination":{...}}</c>), so the first page
    /// tells how many pages follow a few bytes from its end: the loop can ask for the next pages while the first 200
    /// records are still being deserialized (in a fresh process that parse is the slowest of the export, and every
    /// later second of a rate-limited export inherits its delay). Anything but that exact shape (the pagination
    /// somewhere else, nested under <c>meta</c>, cut off, a body that is not buffered) gives <c>null</c>, and the
    /// loop waits for the parse as before. The parse itself stays the reference: every page is still checked.
    /// </summary>
    internal static class EarlyPagination
    {
        // A pagination object is well under 200 bytes; a larger tail only costs a copy.
        private const int TailBytes = 1024;

        private static readonly byte[] Key = Encoding.ASCII.GetBytes("\"pagination\"");

        /// <summary>The pagination at the end of a successful, buffered list response, or <c>null</c>.</summary>
        public static Pagination? TryRead(HttpResponseMessage response)
        {
            try
            {
                if (!response.IsSuccessStatusCode || !(response.Content is PooledBufferContent content) || !(content.CopyTail(TailBytes) is { } tail))
                {
                    return null;
                }

                return FromTail(tail);
            }
            catch (Exception ex) when (ex is ObjectDisposedException || ex is InvalidOperationException || ex is ArgumentException)
            {
                return null;
            }
        }

        /// <summary>Finds <c>"pagination": { ... }</c> as the last member of the root object in the last bytes of a body.</summary>
        internal static Pagination? FromTail(byte[] tail)
        {
            var i = SkipSpaceBack(tail, tail.Length - 1);
            if (i < 0 || tail[i] != (byte)'}')
            {
                return null; // the root object does not end here
            }

            var end = SkipSpaceBack(tail, i - 1);
            if (end < 0 || tail[end] != (byte)'}')
            {
                return null; // the last member is not an object
            }

            // The pagination object holds numbers, null and plain keys: its opening brace is the nearest '{' before it,
            // provided nothing in between opens or closes another object or a string with braces.
            var start = end - 1;
            while (start >= 0 && tail[start] != (byte)'{')
            {
                if (tail[start] == (byte)'}' || tail[start] == (byte)'[' || tail[start] == (byte)']')
                {
                    return null;
                }

                start--;
            }

            if (start < 0)
            {
                return null;
            }

            var colon = SkipSpaceBack(tail, start - 1);
            if (colon < 0 || tail[colon] != (byte)':')
            {
                return null;
            }

            var keyEnd = SkipSpaceBack(tail, colon - 1);
            var keyStart = keyEnd - Key.Length + 1;
            if (keyStart < 1)
            {
                return null;
            }

            for (var k = 0; k < Key.Length; k++)
            {
                if (tail[keyStart + k] != Key[k])
                {
                    return null;
                }
            }

            // The key must be a member name of the root object: preceded by ',' or '{', not inside a string.
            var before = SkipSpaceBack(tail, keyStart - 1);
            if (before < 0 || (tail[before] != (byte)',' && tail[before] != (byte)'{'))
            {
                return null;
            }

            // A flat object of numbers: read it by hand. Newtonsoft's JToken reader would be compiled for this first
            // use on the critical path of a fresh process (measured: the page-1 gap grew from ~0.1 s to ~0.4 s on a
            // loaded machine when the warm-up had not compiled it yet).
            return ReadFlatObject(tail, start + 1, end);
        }

        // Reads "name": integer (or null) members between the braces; anything else gives null.
        private static Pagination? ReadFlatObject(byte[] bytes, int from, int to)
        {
            var result = new Pagination();
            var i = from;
            while (true)
            {
                i = SkipSpace(bytes, i, to);
                if (i >= to)
                {
                    break;
                }

                if (bytes[i] != (byte)'"')
                {
                    return null;
                }

                var nameEnd = Array.IndexOf(bytes, (byte)'"', i + 1, to - i - 1);
                if (nameEnd < 0)
                {
                    return null;
                }

                var name = Encoding.ASCII.GetString(bytes, i + 1, nameEnd - i - 1);
                i = SkipSpace(bytes, nameEnd + 1, to);
                if (i >= to || bytes[i] != (byte)':')
                {
                    return null;
                }

                i = SkipSpace(bytes, i + 1, to);
                long? value = null;
                if (i + 4 <= to && bytes[i] == (byte)'n' && bytes[i + 1] == (byte)'u' && bytes[i + 2] == (byte)'l' && bytes[i + 3] == (byte)'l')
                {
                    i += 4;
                }
                else
                {
                    long number = 0;
                    var digits = 0;
                    while (i < to && bytes[i] >= (byte)'0' && bytes[i] <= (byte)'9' && digits < 18)
                    {
                        number = (number * 10) + (bytes[i] - (byte)'0');
                        digits++;
                        i++;
                    }

                    if (digits == 0)
                    {
                        return null; // a string, a negative or fractional number, an object: not the shape expected
                    }

                    value = number;
                }

                switch (name)
                {
                    case "total_records" when value is { } records && records <= int.MaxValue:
                        result.TotalRecords = (int)records;
                        result.Present |= PaginationMembers.TotalRecords;
                        break;
                    case "total_pages" when value is { } pages && pages <= int.MaxValue:
                        result.TotalPages = (int)pages;
                        result.Present |= PaginationMembers.TotalPages;
                        break;
                    case "current_page" when value is { } current && current <= int.MaxValue:
                        result.CurrentPage = (int)current;
                        result.Present |= PaginationMembers.CurrentPage;
                        break;
                }

                i = SkipSpace(bytes, i, to);
                if (i < to)
                {
                    if (bytes[i] != (byte)',')
                    {
                        return null;
                    }

                    i++;
                }
            }

            return result.Present == PaginationMembers.None ? null : result;
        }

        private static int SkipSpace(byte[] bytes, int i, int to)
        {
            while (i < to && (bytes[i] == (byte)' ' || bytes[i] == (byte)'\n' || bytes[i] == (byte)'\r' || bytes[i] == (byte)'\t'))
            {
                i++;
            }

            return i;
        }

        private static int SkipSpaceBack(byte[] bytes, int i)
        {
            while (i >= 0 && (bytes[i] == (byte)' ' || bytes[i] == (byte)'\n' || bytes[i] == (byte)'\r' || bytes[i] == (byte)'\t'))
            {
                i--;
            }

            return i;
        }
    }
}
