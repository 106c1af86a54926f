using Microsoft.CodeAnalysis;

namespace Aha.Client.Generators
{
    /// <summary>
    /// Warnings (errors under TreatWarningsAsErrors) for operations the generator cannot wrap: a paginated list or a
    /// custom-fields update must never be silently left without its helper.
    /// </summary>
    internal static class Diagnostics
    {
        public const string ListWithoutRecords = "AHAGEN001";
        public const string NameCollision = "AHAGEN002";
        public const string UnwrappableCustomFields = "AHAGEN003";

        public static readonly DiagnosticDescriptor ListWithoutRecordsDescriptor = new DiagnosticDescriptor(
            ListWithoutRecords,
            "Paginated list without a record array",
            "{0}",
            "Aha.Client.Generators",
            DiagnosticSeverity.Warning,
            isEnabledByDefault: true,
            description: "A method with page/perPage parameters must return a response with exactly one array of records, so that a ListAll wrapper can be generated.");

        public static readonly DiagnosticDescriptor NameCollisionDescriptor = new DiagnosticDescriptor(
            NameCollision,
            "Generated wrapper name is taken",
            "{0}",
            "Aha.Client.Generators",
            DiagnosticSeverity.Warning,
            isEnabledByDefault: true);

        public static readonly DiagnosticDescriptor UnwrappableCustomFieldsDescriptor = new DiagnosticDescriptor(
            UnwrappableCustomFields,
            "Custom-fields update cannot be wrapped",
            "{0}",
            "Aha.Client.Generators",
            DiagnosticSeverity.Warning,
            isEnabledByDefault: true);

        public static DiagnosticDescriptor For(string id) => id switch
        {
            ListWithoutRecords => ListWithoutRecordsDescriptor,
            NameCollision => NameCollisionDescriptor,
            _ => UnwrappableCustomFieldsDescriptor,
        };
    }
}
