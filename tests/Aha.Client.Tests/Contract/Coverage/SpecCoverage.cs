using System;
using System.Collections.Generic;
using System.Linq;
using System.Reflection;
using System.Text;
using Aha.Client.Tests.Contract.Prism;
using Aha.Client.Tests.Contract.Schemas;
using Microsoft.OpenApi.Models;

namespace Aha.Client.Tests.Contract.Coverage
{
    /// <summary>
    /// Coverage of the spec, one row per operation: request/response examples, exercised on the wire (Prism), and
    /// whether a generated helper applies and exists (paging: a list with page/per_page gets
    /// <c>&lt;Client&gt;.ListAll…Async</c>; custom fields: a PUT whose body carries custom_fields gets
    /// <c>&lt;Client&gt;.UpdateCustomFields…Async</c>). Printed by the wire tests and written to
    /// docs/spec-coverage.md with <c>AHA_WRITE_SPEC_COVERAGE=1</c>.
    /// </summary>
    internal sealed class SpecCoverage
    {
        private SpecCoverage(IReadOnlyList<Row> rows) => Rows = rows;

        public IReadOnlyList<Row> Rows { get; }

        public static SpecCoverage Build(IReadOnlyDictionary<string, WireOutcome> wire)
        {
            var examples = SpecExamples.All;
            var rows = Spec.Operations.Select(o =>
            {
                var requestExamples = o.RequestBody is null ? (int?)null : examples.Count(e => e.OperationId == o.OperationId && e.IsRequestBody);
                var responseExamples = examples.Count(e => e.OperationId == o.OperationId && e.IsSuccessBody);
                var errorExamples = examples.Count(e => e.OperationId == o.OperationId && e.Where.StartsWith("response", StringComparison.Ordinal) && !e.IsSuccessBody);
                wire.TryGetValue(o.OperationId, out var outcome);
                // a page of something that is not a record list (a custom report's view) renames its page parameter in C#
                // (x-originalName: viewPage) and has no ListAll (see GeneratedListWrapperTests)
                var paging = o.QueryParameters.Any(p => p.Name == "page" && SpecOperation.CSharpName(p) == "page") && o.QueryParameters.Any(p => p.Name == "per_page");
                var customFields = o.Method == "PUT" && BodyCarriesCustomFields(o);
                return new Row(
                    o,
                    requestExamples,
                    responseExamples,
                    errorExamples,
                    outcome,
                    paging ? Helper(o, ListAllName(o.MethodName)) : null,
                    customFields ? Helper(o, UpdateCustomFieldsName(o.MethodName)) : null);
            }).ToList();
            return new SpecCoverage(rows);
        }

        public string ToMarkdown()
        {
            var sb = new StringBuilder();
            sb.AppendLine("# Spec coverage");
            sb.AppendLine();
            sb.AppendLine("Generated from `openapi/aha.yaml` by the contract tests (`PrismWireTests`); do not edit by hand. Regenerate with");
            sb.AppendLine("`AHA_WRITE_SPEC_COVERAGE=1 dotnet test tests/Aha.Client.Tests -f net10.0 --filter \"FullyQualifiedName~PrismWireTests\"`.");
            sb.AppendLine();
            foreach (var line in Summary())
            {
                sb.AppendLine("- " + line);
            }

            sb.AppendLine();
            sb.AppendLine("Columns: request/response examples are named examples of the request body and of the success answer (`—`: the");
            sb.AppendLine("operation has no request body); *wire* is the Prism run (requests accepted / made, answers deserialised);");
            sb.AppendLine("*paging* and *custom fields* name the generated helper an operation is expected to have (`—`: does not apply)");
            sb.AppendLine("and whether it exists in this build.");
            sb.AppendLine();
            sb.AppendLine("| operation | method and path | request examples | response examples | wire (Prism) | paging helper | custom-fields helper |");
            sb.AppendLine("|---|---|---|---|---|---|---|");
            foreach (var r in Rows)
            {
                sb.AppendLine($"| `{r.Operation.OperationId}` | `{r.Operation.Method} {r.Operation.Path}` | {r.RequestExamples?.ToString() ?? "—"} | {r.ResponseExamples} | {r.WireText} | {r.PagingText} | {r.CustomFieldsText} |");
            }

            return sb.ToString();
        }

        public string ToText()
        {
            var sb = new StringBuilder();
            sb.AppendLine("Spec coverage (openapi/aha.yaml)");
            foreach (var line in Summary())
            {
                sb.AppendLine("  " + line);
            }

            sb.AppendLine($"  {"operation",-36} {"req ex",6} {"resp ex",7}  {"wire",-22} {"paging",-34} custom fields");
            foreach (var r in Rows)
            {
                sb.AppendLine($"  {r.Operation.OperationId,-36} {r.RequestExamples?.ToString() ?? "-",6} {r.ResponseExamples,7}  {r.WireText,-22} {r.PagingText,-34} {r.CustomFieldsText}");
            }

            return sb.ToString();
        }

        public IEnumerable<string> Summary()
        {
            var total = Rows.Count;
            var withBody = Rows.Count(r => r.RequestExamples.HasValue);
            var seedOnly = Rows.Count(r => r.Operation.Operation.Deprecated);
            yield return $"{total} operations: {total - seedOnly} that Aha! documents and {seedOnly} seed-only (deprecated: documented by Aha! nowhere); {Rows.Count(r => r.RequestExamples > 0)} of {withBody} request bodies have examples ({Rows.Sum(r => r.RequestExamples ?? 0)} examples); {Rows.Count(r => r.ResponseExamples > 0)} of {Rows.Count(r => r.Operation.SuccessBody != null)} success answers with a body have examples ({Rows.Sum(r => r.ResponseExamples)} examples).";
            yield return $"Wire (Prism): {Rows.Count(r => r.Wire?.Exercised == true)} of {total} operations exercised, {Rows.Count(r => r.Wire?.Passed == true)} passed (accepted and deserialised), {Rows.Sum(r => r.Wire?.Requests ?? 0)} requests.";
            var paging = Rows.Where(r => r.Paging != null).ToList();
            var custom = Rows.Where(r => r.CustomFields != null).ToList();
            yield return $"Paging helper applies to {paging.Count} list operations (page/per_page); present for {paging.Count(r => r.Paging!.Present)}.";
            yield return $"Custom-fields helper applies to {custom.Count} update operations (body with custom_fields); present for {custom.Count(r => r.CustomFields!.Present)}.";
        }

        /// <summary>Whether the generated resource client (<c>FeaturesClient</c>) has the helper as a public method.</summary>
        private static HelperStatus Helper(SpecOperation operation, string name)
        {
            var client = typeof(AhaClient).Assembly.GetType("Aha.Client." + operation.ClientName);
            var present = client?.GetMethods(BindingFlags.Public | BindingFlags.Instance).Any(m => m.Name == name) == true;
            return new HelperStatus(name, present);
        }

        private static bool BodyCarriesCustomFields(SpecOperation operation)
        {
            return HasCustomFields(operation.RequestBody?.Schema, 0);

            // The wrapper's record member documents its $ref through a one-item allOf (description + allOf: [$ref]).
            static bool HasCustomFields(OpenApiSchema? schema, int depth) => schema != null && depth < 2
                && (schema.Properties.ContainsKey("custom_fields")
                    || schema.Properties.Values.Any(p => HasCustomFields(p, depth + 1))
                    || schema.AllOf.Any(s => HasCustomFields(s, depth)));
        }

        /// <summary>The paging layer's naming: <c>ListAsync</c> → <c>ListAllAsync</c>; <c>ListByProductAsync</c> → <c>ListAllByProductAsync</c>; <c>GetFooAsync</c> → <c>GetAllFooAsync</c>.</summary>
        internal static string ListAllName(string methodName)
        {
            var stem = methodName.EndsWith("Async", StringComparison.Ordinal) ? methodName.Substring(0, methodName.Length - 5) : methodName;
            return stem.StartsWith("List", StringComparison.Ordinal) ? "ListAll" + stem.Substring(4) + "Async"
                : stem.StartsWith("Get", StringComparison.Ordinal) ? "GetAll" + stem.Substring(3) + "Async"
                : "ListAll" + stem + "Async";
        }

        /// <summary>The custom-fields layer's naming: <c>UpdateAsync</c> → <c>UpdateCustomFieldsAsync</c>; <c>UpdateForProductAsync</c> → <c>UpdateCustomFieldsForProductAsync</c>.</summary>
        internal static string UpdateCustomFieldsName(string methodName)
        {
            var stem = methodName.EndsWith("Async", StringComparison.Ordinal) ? methodName.Substring(0, methodName.Length - 5) : methodName;
            return stem.StartsWith("Update", StringComparison.Ordinal) ? "UpdateCustomFields" + stem.Substring(6) + "Async" : stem + "CustomFieldsAsync";
        }

        internal sealed class HelperStatus
        {
            public HelperStatus(string name, bool present)
            {
                Name = name;
                Present = present;
            }

            public string Name { get; }

            public bool Present { get; }

            public override string ToString() => $"{Name} ({(Present ? "present" : "missing")})";
        }

        internal sealed class Row
        {
            public Row(SpecOperation operation, int? requestExamples, int responseExamples, int errorExamples, WireOutcome? wire, HelperStatus? paging, HelperStatus? customFields)
            {
                Operation = operation;
                RequestExamples = requestExamples;
                ResponseExamples = responseExamples;
                ErrorExamples = errorExamples;
                Wire = wire;
                Paging = paging;
                CustomFields = customFields;
            }

            public SpecOperation Operation { get; }

            public int? RequestExamples { get; }

            public int ResponseExamples { get; }

            public int ErrorExamples { get; }

            public WireOutcome? Wire { get; }

            public HelperStatus? Paging { get; }

            public HelperStatus? CustomFields { get; }

            public string WireText => Wire is null ? "not run"
                : Wire.Passed ? $"pass {Wire.Accepted}/{Wire.Requests}"
                : Wire.Rejected > 0 ? $"REJECTED {Wire.Rejected}/{Wire.Requests}"
                : $"accepted {Wire.Accepted}/{Wire.Requests}, deserialised {Wire.Deserialised}";

            public string PagingText => Paging?.ToString() ?? "—";

            public string CustomFieldsText => CustomFields?.ToString() ?? "—";
        }
    }
}
