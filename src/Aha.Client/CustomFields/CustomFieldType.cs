namespace Aha.Client
{
    /// <summary>
    /// The custom-field <c>type</c> values Aha! is known to send. The set is open: a field of another type is kept
    /// and readable through <see cref="CustomFieldValue.ValueJson"/> or <see cref="CustomFieldValue.As{T}"/>.
    /// </summary>
    public static class CustomFieldType
    {
        /// <summary>Single-line text (<c>"string"</c>).</summary>
        public const string String = "string";

        /// <summary>Multi-line text (<c>"text"</c>).</summary>
        public const string Text = "text";

        /// <summary>A number (<c>"number"</c>).</summary>
        public const string Number = "number";

        /// <summary>A date, <c>yyyy-MM-dd</c> (<c>"date"</c>).</summary>
        public const string Date = "date";

        /// <summary>A URL (<c>"url"</c>).</summary>
        public const string Url = "url";

        /// <summary>Rich text: HTML in <c>value</c>/<c>body</c>, with <c>attachments</c> (<c>"note"</c>).</summary>
        public const string Note = "note";

        /// <summary>Multiple choice: an array of strings (<c>"array"</c>).</summary>
        public const string Array = "array";

        /// <summary>Tags: an array of strings (<c>"tags"</c>).</summary>
        public const string Tags = "tags";

        /// <summary>Several users (<c>"users"</c>).</summary>
        public const string Users = "users";

        /// <summary>One user (<c>"user"</c>).</summary>
        public const string User = "user";

        /// <summary>A scorecard: a number, with <c>score_facts</c> (<c>"scorecard"</c>).</summary>
        public const string Scorecard = "scorecard";

        /// <summary>An equation sheet or worksheet: an object (<c>"equation_sheet"</c>).</summary>
        public const string EquationSheet = "equation_sheet";

        /// <summary>Attachments, with no <c>value</c> (<c>"attachment"</c>).</summary>
        public const string Attachment = "attachment";

        /// <summary>A link to records (<c>"record"</c>).</summary>
        public const string Record = "record";
    }
}
