using Newtonsoft.Json.Linq;

namespace Aha.Client
{
    /// <summary>A user named by a <c>user</c> or <c>users</c> custom field.</summary>
    public sealed class CustomFieldUser
    {
        private readonly JToken _raw;

        internal CustomFieldUser(string? id, string? name, string? email, JToken raw)
        {
            Id = id;
            Name = name;
            Email = email;
            _raw = raw;
        }

        /// <summary>The user id (always a string, also when Aha! sent a number).</summary>
        public string? Id { get; }

        /// <summary>The user's name, when sent.</summary>
        public string? Name { get; }

        /// <summary>The user's email address, when sent.</summary>
        public string? Email { get; }

        /// <summary>The user exactly as sent (a copy).</summary>
        public JToken Raw => _raw.DeepClone();

        /// <inheritdoc />
        public override string ToString() => Name ?? Email ?? Id ?? string.Empty;
    }
}
