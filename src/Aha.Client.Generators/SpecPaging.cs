using System;
using System.Collections.Generic;
using System.Text.RegularExpressions;

namespace Aha.Client.Generators
{
    /// <summary>
    /// Reads from the spec's text which operations carry <c>x-aha-paging: after_id</c> (a list read with the
    /// <c>after_id</c> cursor, not page numbers). A line scan, not a YAML parser: the spec's layout is fixed by
    /// openapi/AUTHORING.md (paths at two spaces, methods at four, operation keys at six), and the generator must not
    /// carry a YAML library into every build.
    /// </summary>
    internal static class SpecPaging
    {
        private static readonly Regex OperationId = new Regex(@"^      operationId:\s*['""]?([A-Za-z0-9_]+)['""]?\s*$", RegexOptions.CultureInvariant);
        private static readonly Regex Paging = new Regex(@"^      x-aha-paging:\s*['""]?([A-Za-z_]+)['""]?\s*$", RegexOptions.CultureInvariant);

        /// <summary>The operation ids (<c>Audits_List</c>) whose paging is <c>after_id</c>.</summary>
        public static string[] AfterIdOperations(string? spec)
        {
            if (spec is null)
            {
                return Array.Empty<string>();
            }

            var result = new List<string>();
            string? operation = null;
            string? paging = null;
            void Close()
            {
                if (operation != null && paging == "after_id")
                {
                    result.Add(operation);
                }

                operation = null;
                paging = null;
            }

            foreach (var raw in spec.Split('\n'))
            {
                var line = raw.TrimEnd('\r');
                var indent = line.Length - line.TrimStart(' ').Length;
                if (indent < 6 && line.Trim().Length > 0 && !line.TrimStart().StartsWith("#", StringComparison.Ordinal))
                {
                    // A method, a path or a top-level section (anything left of the operation's keys) ends the operation.
                    Close();
                    continue;
                }

                var id = OperationId.Match(line);
                if (id.Success)
                {
                    operation = id.Groups[1].Value;
                    continue;
                }

                var mode = Paging.Match(line);
                if (mode.Success)
                {
                    paging = mode.Groups[1].Value;
                }
            }

            Close();
            return result.ToArray();
        }
    }
}
