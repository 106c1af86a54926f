using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using Aha.Client.Tests.Infrastructure;
using Microsoft.OpenApi.Any;
using Microsoft.OpenApi.Models;
using Microsoft.OpenApi.Readers;

namespace Aha.Client.Tests.Contract
{
    /// <summary>The spec (openapi/aha.yaml) read with a real OpenAPI parser, flattened into the facts the contract tests need.</summary>
    internal static class Spec
    {
        private static readonly Lazy<OpenApiDocument> LazyDocument = new(Load);

        public static OpenApiDocument Document => LazyDocument.Value;

        public static IReadOnlyList<SpecOperation> Operations { get; } = LazyOperations();

        private static IReadOnlyList<SpecOperation> LazyOperations()
        {
            try
            {
                return Document.Paths
                    .SelectMany(p => p.Value.Operations.Select(o => new SpecOperation(p.Key, o.Key, o.Value, p.Value.Parameters)))
                    .OrderBy(o => o.OperationId, StringComparer.Ordinal)
                    .ToList();
            }
            catch (Exception ex)
            {
                // TestCaseSource runs at discovery: surface the problem as one failing case instead of none.
                Console.Error.WriteLine("Could not read the spec: " + ex);
                return Array.Empty<SpecOperation>();
            }
        }

        private static OpenApiDocument Load()
        {
            using var stream = File.OpenRead(Repo.SpecPath);
            var document = new OpenApiStreamReader().Read(stream, out var diagnostic);
            if (diagnostic.Errors.Count > 0)
            {
                throw new InvalidOperationException("openapi/aha.yaml has errors: " + string.Join("; ", diagnostic.Errors.Select(e => e.Pointer + ": " + e.Message)));
            }

            return document;
        }
    }

    /// <summary>One operation of the spec.</summary>
    public sealed class SpecOperation
    {
        public SpecOperation(string path, OperationType method, OpenApiOperation operation, IList<OpenApiParameter> pathItemParameters)
        {
            Path = path;
            Method = method.ToString().ToUpperInvariant();
            Operation = operation;
            OperationId = operation.OperationId;
            var split = OperationId.Split('_');
            ClientName = split[0] + "Client";
            MethodName = split.Length == 2 ? split[1] + "Async" : "<operationId must be Tag_Verb>";
            Parameters = pathItemParameters.Concat(operation.Parameters)
                .GroupBy(p => (p.Name, p.In)).Select(g => g.Last()).ToList();
        }

        public string Path { get; }

        public string Method { get; }

        public OpenApiOperation Operation { get; }

        public string OperationId { get; }

        /// <summary>The generated client class this operation must land in (the operationId prefix + "Client").</summary>
        public string ClientName { get; }

        /// <summary>The generated method name (the operationId suffix + "Async").</summary>
        public string MethodName { get; }

        public IReadOnlyList<OpenApiParameter> Parameters { get; }

        public IEnumerable<OpenApiParameter> PathParameters => Parameters.Where(p => p.In == ParameterLocation.Path);

        public IEnumerable<OpenApiParameter> QueryParameters => Parameters.Where(p => p.In == ParameterLocation.Query);

        public OpenApiMediaType? RequestBody => Operation.RequestBody?.Content.TryGetValue("application/json", out var media) == true ? media : null;

        /// <summary>A file upload (<c>multipart/form-data</c>): the generated method sends the file.</summary>
        public bool IsUpload => Operation.RequestBody?.Content.ContainsKey("multipart/form-data") == true;

        /// <summary>
        /// The upload also has a JSON form (an attachment link), declared in <c>x-aha-json-alternative</c> of its request
        /// body and sent by the hand-written <c>...FromUrlAsync</c> method.
        /// </summary>
        public bool HasJsonAlternative => Operation.RequestBody?.Extensions.ContainsKey("x-aha-json-alternative") == true;

        public KeyValuePair<string, OpenApiResponse> Success => Operation.Responses.First(r => r.Key.StartsWith("2", StringComparison.Ordinal));

        public OpenApiMediaType? SuccessBody => Success.Value.Content.TryGetValue("application/json", out var media) ? media : null;

        /// <summary>The C# name NSwag gives a parameter: its x-originalName, else its wire name.</summary>
        public static string CSharpName(OpenApiParameter parameter) =>
            parameter.Extensions.TryGetValue("x-originalName", out var original) && original is OpenApiString s ? s.Value : parameter.Name;

        public override string ToString() => OperationId;
    }
}
