using System;
using System.Collections.Generic;
using System.Globalization;
using Newtonsoft.Json.Linq;

namespace Aha.Client
{
    /// <summary>What happened to a record in an <see cref="AhaChange"/>.</summary>
    public enum AhaChangeAction
    {
        /// <summary>An action this version of the library does not know; <see cref="AhaChange.ActionName"/> has Aha!'s word.</summary>
        Unknown = 0,

        /// <summary>The record was created.</summary>
        Create,

        /// <summary>The record (or one of its secondary objects: a custom field value, its description...) was changed.</summary>
        Update,

        /// <summary>The record was deleted.</summary>
        Destroy,
    }

    /// <summary>One field of a change: its name as Aha! labels it, and the value Aha! reported.</summary>
    public sealed class AhaFieldChange
    {
        /// <summary>Creates a field change.</summary>
        /// <param name="fieldName">The field's label (Aha! sends labels such as <c>Name</c> or <c>Description</c>).</param>
        /// <param name="value">The value as Aha! sent it (for updates often a rendering of the old and new values).</param>
        public AhaFieldChange(string fieldName, JToken? value)
        {
            FieldName = fieldName ?? throw new ArgumentNullException(nameof(fieldName));
            Value = value;
        }

        /// <summary>The field's label as Aha! sent it.</summary>
        public string FieldName { get; }

        /// <summary>The value as Aha! sent it (a string, number, array or object; null when absent).</summary>
        public JToken? Value { get; }

        /// <summary>The value as text (its JSON for arrays and objects); null when absent.</summary>
        public string? ValueText => Value is null || Value.Type == JTokenType.Null ? null
            : Value.Type == JTokenType.String ? (string?)Value : Value.ToString(Newtonsoft.Json.Formatting.None);

        /// <inheritdoc />
        public override string ToString() => FieldName + ": " + (ValueText ?? "(none)");
    }

    /// <summary>The user who made a change, as Aha! names them in the audit.</summary>
    public sealed class AhaChangeUser
    {
        /// <summary>Creates the user.</summary>
        /// <param name="id">The user's id.</param>
        /// <param name="name">The user's name.</param>
        /// <param name="email">The user's email address.</param>
        public AhaChangeUser(string? id, string? name, string? email)
        {
            Id = id;
            Name = name;
            Email = email;
        }

        /// <summary>The user's id (a string: Aha! ids exceed what a double holds).</summary>
        public string? Id { get; }

        /// <summary>The user's name.</summary>
        public string? Name { get; }

        /// <summary>The user's email address.</summary>
        public string? Email { get; }
    }

    /// <summary>
    /// One change to an Aha! record, read from an audit: from the change feed (<see cref="AhaClient.Changes"/>) or from
    /// an activity webhook (the Aha.Client.Webhooks package gives the same type).
    /// </summary>
    /// <remarks>
    /// A change may concern a secondary object (a description, a custom field value, a record link): then
    /// <see cref="RecordType"/> and <see cref="RecordId"/> name that object, and <see cref="AssociatedType"/> and
    /// <see cref="AssociatedId"/> the record it belongs to. <see cref="PrimaryType"/> and <see cref="PrimaryId"/> give
    /// whichever is the record to read again. The audit as Aha! sent it is kept in <see cref="Raw"/>.
    /// </remarks>
    public sealed class AhaChange
    {
        private AhaChange(JObject raw, string auditId, string recordType, string recordId, string actionName, AhaChangeAction action,
            DateTimeOffset? createdAt, AhaChangeUser? user, string? associatedType, string? associatedId, string? description,
            string? url, IReadOnlyList<AhaFieldChange> changes)
        {
            Raw = raw;
            AuditId = auditId;
            RecordType = recordType;
            RecordId = recordId;
            ActionName = actionName;
            Action = action;
            CreatedAt = createdAt;
            User = user;
            AssociatedType = associatedType;
            AssociatedId = associatedId;
            Description = description;
            Url = url;
            Changes = changes;
        }

        /// <summary>The audit's id: unique per change, increasing over time; the feed's de-duplication key.</summary>
        public string AuditId { get; }

        /// <summary>The changed object's type, normalized by <see cref="NormalizeType"/> (<c>feature</c>, <c>idea</c>, <c>note</c>, <c>custom_field_value</c>...); <see cref="Raw"/> has Aha!'s spelling.</summary>
        public string RecordType { get; }

        /// <summary>The changed object's id.</summary>
        public string RecordId { get; }

        /// <summary>What happened; <see cref="AhaChangeAction.Unknown"/> for an action Aha! may add later.</summary>
        public AhaChangeAction Action { get; }

        /// <summary>Aha!'s own word for the action (<c>create</c>, <c>update</c>, <c>destroy</c>, or a newer one).</summary>
        public string ActionName { get; }

        /// <summary>When Aha! recorded the change; null if the audit had no readable time.</summary>
        public DateTimeOffset? CreatedAt { get; }

        /// <summary>Who made the change, when Aha! says.</summary>
        public AhaChangeUser? User { get; }

        /// <summary>For a secondary object, the type of the record it belongs to (lower case); otherwise often its parent.</summary>
        public string? AssociatedType { get; }

        /// <summary>The id of the record named by <see cref="AssociatedType"/>.</summary>
        public string? AssociatedId { get; }

        /// <summary>Aha!'s one-line description of the change.</summary>
        public string? Description { get; }

        /// <summary>The web address of the changed record, when Aha! gives it.</summary>
        public string? Url { get; }

        /// <summary>The changed fields with the values Aha! reported (empty when it reported none).</summary>
        public IReadOnlyList<AhaFieldChange> Changes { get; }

        /// <summary>The audit exactly as Aha! sent it, with every attribute this type does not name.</summary>
        public JObject Raw { get; }

        /// <summary>
        /// Whether the changed object is a secondary object of another record (a description, a custom field value,
        /// a record link...) rather than a record of its own: the types listed in <see cref="SecondaryTypes"/>.
        /// </summary>
        public bool IsSecondary => Secondary.Contains(RecordType) && AssociatedType != null && AssociatedId != null;

        /// <summary>The type of the record to read again for this change: the associated record for a secondary object, else the changed object.</summary>
        public string PrimaryType => IsSecondary ? AssociatedType! : RecordType;

        /// <summary>The id of the record to read again for this change (see <see cref="PrimaryType"/>).</summary>
        public string PrimaryId => IsSecondary ? AssociatedId! : RecordId;

        /// <summary>
        /// Object types that live inside another record: a change to one of them is a change of the record named by
        /// <see cref="AssociatedType"/> and <see cref="AssociatedId"/>.
        /// </summary>
        public static IReadOnlyCollection<string> SecondaryTypes => Secondary;

        private static readonly HashSet<string> Secondary = new HashSet<string>(StringComparer.Ordinal)
        {
            "note", "description", "custom_field_value", "custom_field", "equation_field_value", "record_link",
            "tagging", "attachment", "score", "watching",
        };

        /// <summary>
        /// Reads one audit object (an element of <c>GET /audits</c>'s <c>audits</c> array, or the <c>audit</c> of an
        /// activity webhook).
        /// </summary>
        /// <param name="audit">The audit's JSON.</param>
        /// <returns>The change; the object itself is kept in <see cref="Raw"/>.</returns>
        /// <exception cref="FormatException">The audit has no id, no object type or no object id.</exception>
        public static AhaChange FromAudit(JObject audit)
        {
            if (audit is null)
            {
                throw new ArgumentNullException(nameof(audit));
            }

            var auditId = Text(audit["id"]) ?? throw new FormatException("The audit has no 'id'.");
            var recordType = Text(audit["auditable_type"]) ?? throw new FormatException($"The audit {auditId} has no 'auditable_type'.");
            var recordId = Text(audit["auditable_id"]) ?? throw new FormatException($"The audit {auditId} has no 'auditable_id'.");
            var actionName = Text(audit["audit_action"]) ?? string.Empty;
            var action = actionName.ToLowerInvariant() switch
            {
                "create" => AhaChangeAction.Create,
                "update" => AhaChangeAction.Update,
                "destroy" or "delete" => AhaChangeAction.Destroy,
                _ => AhaChangeAction.Unknown,
            };

            DateTimeOffset? createdAt = null;
            if (audit["created_at"] is JValue { Value: DateTimeOffset dto })
            {
                createdAt = dto;
            }
            else if (audit["created_at"] is JValue { Value: DateTime dt })
            {
                // Read by a reader that parses dates: a time without an offset is UTC, as Aha! writes it.
                createdAt = new DateTimeOffset(dt.Kind == DateTimeKind.Unspecified ? DateTime.SpecifyKind(dt, DateTimeKind.Utc) : dt.ToUniversalTime());
            }
            else if (Text(audit["created_at"]) is { } createdText
                && DateTimeOffset.TryParse(createdText, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var parsed))
            {
                createdAt = parsed;
            }

            AhaChangeUser? user = null;
            if (audit["user"] is JObject u)
            {
                user = new AhaChangeUser(Text(u["id"]), Text(u["name"]), Text(u["email"]));
            }

            var changes = new List<AhaFieldChange>();
            switch (audit["changes"])
            {
                case JArray array:
                    foreach (var item in array)
                    {
                        if (item is JObject change && Text(change["field_name"]) is { } name)
                        {
                            changes.Add(new AhaFieldChange(name, change["value"]));
                        }
                    }

                    break;
                case JObject map:
                    // Webhook payloads may carry the changes as an object keyed by field.
                    foreach (var property in map.Properties())
                    {
                        changes.Add(new AhaFieldChange(property.Name, property.Value));
                    }

                    break;
            }

            return new AhaChange(audit, auditId, NormalizeType(recordType), recordId, actionName, action, createdAt, user,
                Text(audit["associated_type"]) is { } associated ? NormalizeType(associated) : null, Text(audit["associated_id"]), Text(audit["description"]),
                Text(audit["auditable_url"]), changes);
        }

        /// <summary>
        /// Reads an activity webhook's body (<c>{"event": "audit", "audit": {...}}</c>) or a bare audit object; dates stay
        /// text in <see cref="Raw"/>, as sent.
        /// </summary>
        /// <param name="json">The request body.</param>
        /// <returns>The change; null when the body is a JSON object with no audit in it (another kind of event).</returns>
        /// <exception cref="FormatException">The body is not a JSON object, or its audit lacks an id, a type or an object id.</exception>
        public static AhaChange? FromWebhook(string json)
        {
            if (json is null)
            {
                throw new ArgumentNullException(nameof(json));
            }

            JObject body;
            try
            {
                body = AhaChangeFeed.ParseObject(json);
            }
            catch (Newtonsoft.Json.JsonException ex)
            {
                throw new FormatException("The webhook body is not a JSON object: " + ex.Message, ex);
            }

            if (body["audit"] is JObject audit)
            {
                return FromAudit(audit);
            }

            return body["auditable_type"] != null ? FromAudit(body) : null;
        }

        /// <inheritdoc />
        public override string ToString() => string.Format(CultureInfo.InvariantCulture, "{0} {1} {2} (audit {3})", ActionName, RecordType, RecordId, AuditId);

        /// <summary>
        /// Aha!'s object type in one spelling: lower case with underscores, without a module prefix
        /// (<c>Feature</c> → <c>feature</c>, <c>CustomFieldValue</c> → <c>custom_field_value</c>, <c>Ideas::Idea</c> → <c>idea</c>).
        /// </summary>
        /// <param name="type">The type as Aha! wrote it.</param>
        /// <returns>The normalized type.</returns>
        public static string NormalizeType(string type)
        {
            if (type is null)
            {
                throw new ArgumentNullException(nameof(type));
            }

            var t = type.Trim();
            var colons = t.LastIndexOf("::", StringComparison.Ordinal);
            if (colons >= 0)
            {
                t = t.Substring(colons + 2);
            }

            var builder = new System.Text.StringBuilder(t.Length + 4);
            for (var i = 0; i < t.Length; i++)
            {
                var c = t[i];
                if (char.IsUpper(c))
                {
                    if (i > 0 && t[i - 1] != '_' && (char.IsLower(t[i - 1]) || (i + 1 < t.Length && char.IsLower(t[i + 1]))))
                    {
                        builder.Append('_');
                    }

                    builder.Append(char.ToLowerInvariant(c));
                }
                else
                {
                    builder.Append(c == ' ' || c == '-' ? '_' : c);
                }
            }

            return builder.ToString();
        }

        private static string? Text(JToken? token) => token switch
        {
            null => null,
            { Type: JTokenType.Null } => null,
            { Type: JTokenType.String } => (string?)token,
            JValue { Value: DateTime dt } => dt.ToString("o", CultureInfo.InvariantCulture),
            JValue { Value: DateTimeOffset dto } => dto.ToString("o", CultureInfo.InvariantCulture),
            JValue value => Convert.ToString(value.Value, CultureInfo.InvariantCulture),
            _ => token.ToString(Newtonsoft.Json.Formatting.None),
        };
    }
}
