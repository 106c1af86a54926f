namespace Aha.Client
{
    /// <summary>
    /// The <c>fields=</c> of a <c>ListAll...Async</c> request. Paging tells records apart by id (never twice, and where
    /// the previous page ended); a sparse <c>fields=</c> without <c>id</c> would return records without one, so the
    /// generated wrappers add it and clear it again before a record is yielded (README, "Paging").
    /// </summary>
    internal static class PagingFields
    {
        /// <summary>
        /// <paramref name="fields"/> with <c>id</c> added when it names attributes but neither <c>id</c> nor <c>*</c>;
        /// unchanged otherwise (<c>null</c> or blank: Aha!'s default attributes, which include the id).
        /// </summary>
        /// <param name="fields">The caller's <c>fields=</c>.</param>
        /// <param name="added">Whether <c>id</c> was added (the caller did not ask for it).</param>
        /// <returns>The <c>fields=</c> to send.</returns>
        public static string? WithId(string? fields, out bool added)
        {
            added = false;
            if (fields is null || fields.Trim().Length == 0)
            {
                return fields;
            }

            foreach (var name in fields.Split(','))
            {
                var trimmed = name.Trim();
                // Exactly "id": attribute names are case-sensitive, so "ID" is not relied on to return the id.
                if (trimmed == "*" || trimmed == "id")
                {
                    return fields;
                }
            }

            added = true;
            return fields.TrimEnd(' ', ',') + ",id";
        }
    }
}
