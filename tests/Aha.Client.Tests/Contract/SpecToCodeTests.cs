using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Aha.Client.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace Aha.Client.Tests.Contract
{
    /// <summary>
    /// The spec and the generated code agree one to one: every operation of openapi/aha.yaml has exactly one generated
    /// method (found by reflection, with the name its operationId promises), and every generated method has an operation.
    /// </summary>
    [TestFixture]
    public class SpecToCodeTests
    {
        private static IEnumerable<SpecOperation> Operations() => Spec.Operations;

        [Test]
        public void Spec_keeps_the_93_operations_of_the_seed_inventory()
        {
            var expected = File.ReadAllLines(Repo.PathOf("tests", "Aha.Client.Tests", "Contract", "inventory-operations.txt"))
                .Select(l => l.Trim()).Where(l => l.Length > 0 && !l.StartsWith("#", StringComparison.Ordinal))
                .ToList();
            var actual = Spec.Operations.Select(o => $"{o.Method} {o.Path}").ToList();

            Assert.That(expected, Has.Count.EqualTo(93), "the inventory list itself");
            Assert.That(actual, Is.Unique, "one operation per method + path");
            Assert.That(expected.Where(e => !actual.Contains(e)), Is.Empty, "seed operations (method + path) missing from the spec");
        }

        [Test]
        public void OperationIds_are_unique_and_shaped_Tag_Verb()
        {
            Assert.That(Spec.Operations.Select(o => o.OperationId), Is.Unique);
            foreach (var operation in Spec.Operations)
            {
                Assert.That(operation.OperationId, Does.Match("^[A-Z][A-Za-z]+_[A-Z][A-Za-z]+$"), operation.ToString());
                Assert.That(operation.Operation.Tags.Select(t => t.Name), Is.EqualTo(new[] { operation.OperationId.Split('_')[0] }), $"{operation}: one tag, equal to the operationId prefix");
            }
        }

        [TestCaseSource(nameof(Operations))]
        public void Operation_has_exactly_one_generated_async_method(SpecOperation operation)
        {
            Assert.That(GeneratedClients.ClientTypes.ContainsKey(operation.ClientName), $"no generated class {operation.ClientName}");
            var methods = GeneratedClients.OperationMethods(GeneratedClients.ClientTypes[operation.ClientName])
                .Where(m => m.Name == operation.MethodName).ToList();
            Assert.That(methods, Has.Count.EqualTo(1), $"{operation.ClientName}.{operation.MethodName}");

            var parameters = methods[0].GetParameters();
            Assert.That(parameters.Last().ParameterType, Is.EqualTo(typeof(CancellationToken)), "every operation takes a CancellationToken last");
            Assert.That(parameters.Select(p => p.Name), Has.None.Contains("_"), "C# parameter names are camelCase (x-originalName)");
            var upload = operation.IsUpload;
            Assert.That(GeneratedClients.BodyParameter(operation, methods[0]) is not null, Is.EqualTo(operation.RequestBody is not null && !upload), "a body parameter exactly when the spec has a JSON request body (an upload takes its file instead)");
            if (upload && operation.HasJsonAlternative)
            {
                // The JSON form of an upload (an attachment link) has its own typed method (openapi/DECISIONS.md, Attachments).
                var link = GeneratedClients.LinkMethod(operation);
                Assert.That(link, Is.Not.Null, $"{operation.ClientName}.{operation.MethodName.Replace("Async", "FromUrlAsync")}");
                Assert.That(GeneratedClients.BodyParameter(operation, link!)?.ParameterType, Is.EqualTo(typeof(AttachmentLink)), "the link method takes the link where a record would be");
                Assert.That(link!.ReturnType, Is.EqualTo(methods[0].ReturnType), "the same answer as the file upload");
            }

            Assert.That(GeneratedClients.FileParameterOf(methods[0])?.Name, Is.EqualTo(upload ? "file" : null), "a multipart upload takes its file as the required parameter 'file', never as an options member");
            Assert.That(parameters[parameters.Length - 2].ParameterType.Name, Is.EqualTo(operation.ClientName.Replace("Client", string.Empty) + operation.MethodName.Replace("Async", string.Empty) + "Options"), "the operation's own options type, just before the token");
            Assert.That(parameters[parameters.Length - 2].IsOptional, "options are optional");
            Assert.That(parameters.Where(p => p.IsOptional).Select(p => p.Name), Is.EqualTo(new[] { "options", "cancellationToken" }), "every optional query parameter is an options property, none is an optional method parameter");
            Assert.That(methods[0].IsVirtual, "operations are virtual (mockable)");
        }

        [Test]
        public void Every_generated_method_maps_back_to_an_operation()
        {
            var expected = Spec.Operations.Select(o => o.ClientName + "." + o.MethodName).ToHashSet(StringComparer.Ordinal);
            var generated = GeneratedClients.ClientTypes.Values
                .SelectMany(t => GeneratedClients.OperationMethods(t).Select(m => t.Name + "." + m.Name))
                .ToList();

            Assert.That(generated, Is.Not.Empty);
            Assert.That(generated.Where(g => !expected.Contains(g)), Is.Empty, "generated methods without an operation");
            Assert.That(generated, Is.Unique, "no overloads: one method per operation");
        }

        [Test]
        public void AhaClient_exposes_every_generated_client()
        {
            var exposed = typeof(AhaClient).GetProperties().Where(p => p.GetMethod!.IsVirtual).Select(p => p.PropertyType).ToHashSet();
            foreach (var client in GeneratedClients.ClientTypes.Values)
            {
                Assert.That(exposed, Does.Contain(client), $"AhaClient has a virtual property of type {client.Name}");
            }
        }

        [Test]
        public void Dependency_injection_resolves_every_generated_client()
        {
            var services = new ServiceCollection();
            services.AddAhaClient(o =>
            {
                o.Account = "company";
                o.Token = "test-token";
            });
            using var provider = services.BuildServiceProvider();
            foreach (var client in GeneratedClients.ClientTypes.Values)
            {
                Assert.That(provider.GetService(client), Is.InstanceOf(client), $"services.AddAhaClient() registers {client.Name}");
            }
        }
    }
}
