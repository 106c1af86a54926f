using System.Reflection;

namespace Aha.Client.Authentication
{
    /// <summary>Builds the <c>User-Agent</c>: the SDK's product token, then the integration's own name and contact.</summary>
    internal static class UserAgent
    {
        internal const string Product = "Aha.Client.NET";

        /// <summary>The SDK version from the assembly's informational version (without the source revision).</summary>
        internal static string Version { get; } = ReadVersion();

        /// <summary>For example <c>Aha.Client.NET/0.1.0 Roadmap export (ops@example.com)</c>.</summary>
        internal static string Build(string? contact)
        {
            var sdk = Product + "/" + Version;
            if (string.IsNullOrWhiteSpace(contact))
            {
                return sdk;
            }

            // Sent as given (validation rejects control characters), in the form Aha!'s documentation shows:
            // "Test data generation script (fred@aha.io)".
            return sdk + " " + contact!.Trim();
        }

        private static string ReadVersion()
        {
            var assembly = typeof(UserAgent).Assembly;
            var info = assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion;
            if (!string.IsNullOrEmpty(info))
            {
                var plus = info!.IndexOf('+');
                return plus >= 0 ? info.Substring(0, plus) : info;
            }

            return assembly.GetName().Version?.ToString() ?? "0.0.0";
        }
    }
}
