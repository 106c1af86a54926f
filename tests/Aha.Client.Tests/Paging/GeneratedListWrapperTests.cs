using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Net.Http;
using System.Reflection;
using System.Threading.Tasks;
using Aha.Client.Generators;
using Aha.Client.Tests.Infrastructure;
using Microsoft.OpenApi.Models;
using Microsoft.OpenApi.Readers;
using Newtonsoft.Json;

namespace Aha.Client.Tests.Paging
{
    /// <summary>
    /// Through the real build: every paginated list and every custom-fields PUT of <c>openapi/aha.yaml</c> has its
    /// generated helper, every helper pages through MockHttp, and every client uses the shared JSON settings.
    /// </summary>
    public class GeneratedListWrapperTests
    {
        private static OpenApiDocument Spec()
        {
            using var stream = File.OpenRead(Repo.SpecPath);
            return new OpenApiStreamReader().Read(stream, out _);
        }

        private static IEnumerable<(string OperationId, OperationType Verb, OpenApiOperation Operation, OpenApiPathItem Path)> Operations()
            => Spec().Paths.SelectMany(path => path.Value.Operations.Select(op => (op.Value.OperationId, op.Key, op.Value, path.Value)));

        private static (string Interface, string Method) CSharpNameOf(string operationId)
        {
            var parts = operationId.Split(new[] { '_' }, 2);
            return (parts[0] + "Client", parts[1] + "Async");
        }

        // A member that documents its $ref wraps it in a one-item allOf (description + allOf: [$ref]): look through it.
        private static bool HasCustomFields(OpenApiSchema? schema, int depth = 0)
            => schema != null && depth < 2
                && (schema.Properties.ContainsKey("custom_fields")
                    || schema.Properties.Values.Any(p => HasCustomFields(p, depth + 1))
                    || schema.AllOf.Any(s => HasCustomFields(s, depth)));

        [Test]
        public void Every_paginated_list_operation_has_a_ListAll_wrapper()
        {
            var wrappers = GeneratedWrappers.ListAlls().ToList();
            var paged = Operations()
                .Where(o => o.Verb == OperationType.Get)
                .Where(o => o.Path.Parameters.Concat(o.Operation.Parameters).Select(p => p.Name).Intersect(new[] { "page", "per_page" }).Count() == 2)
                // a page of something that is not a record list (a custom report's view) renames its page parameters in
                // C# (x-originalName: viewPage), and the generator, which reads the C# names, gives it no ListAll
                .Where(o => !o.Path.Parameters.Concat(o.Operation.Parameters).Any(p => p.Name == "page"
                    && p.Extensions.TryGetValue("x-originalName", out var original)
                    && original is Microsoft.OpenApi.Any.OpenApiString { Value: not "page" }))
                .ToList();

            // Lists the spec marks x-aha-paging: after_id are read with the cursor: their ListAll is a plain async sequence.
            static bool IsCursor((string OperationId, OperationType Verb, OpenApiOperation Operation, OpenApiPathItem Path) o) => o.Operation.Extensions.TryGetValue("x-aha-paging", out var mode)
                && mode is Microsoft.OpenApi.Any.OpenApiString { Value: "after_id" };
            var cursor = paged.Where(IsCursor).Select(o => CSharpNameOf(o.OperationId)).ToList();
            var cursorWrappers = GeneratedWrappers.CursorListAlls().ToList();
            Assert.That(cursorWrappers.Select(w => (w.DeclaringType!.Name, w.Name)), Is.EquivalentTo(cursor.Select(c => (c.Item1, ClientModelBuilder.ListAllName(c.Item2)))), "one cursor ListAll per x-aha-paging: after_id list");
            var expected = paged.Where(o => !IsCursor(o)).Select(o => CSharpNameOf(o.OperationId)).ToList();

            Assert.That(expected, Is.Not.Empty, "the spec has paginated lists");
            foreach (var (iface, method) in expected)
            {
                var name = ClientModelBuilder.ListAllName(method);
                Assert.That(wrappers.Any(w => w.Name == name && w.DeclaringType!.Name == iface), Is.True, $"{iface}.{name} is missing");
            }

            Assert.That(wrappers, Has.Count.EqualTo(expected.Count), "one wrapper per paginated list, no more");
        }

        [Test]
        public void Every_put_carrying_custom_fields_has_an_UpdateCustomFields_wrapper()
        {
            var wrappers = GeneratedWrappers.CustomFieldUpdates().ToList();
            var expected = Operations()
                .Where(o => o.Verb == OperationType.Put)
                .Where(o => o.Operation.RequestBody?.Content.TryGetValue("application/json", out var media) == true && HasCustomFields(media.Schema))
                .Select(o => CSharpNameOf(o.OperationId))
                .ToList();

            Assert.That(expected, Is.Not.Empty, "the spec has custom-field updates");
            foreach (var (iface, method) in expected)
            {
                var name = ClientModelBuilder.UpdateCustomFieldsName(method);
                Assert.That(wrappers.Any(w => w.Name == name && w.DeclaringType!.Name == iface), Is.True, $"{iface}.{name} is missing");
            }

            Assert.That(wrappers, Has.Count.EqualTo(expected.Count));
        }

        [Test]
        public void Every_generated_client_reads_json_with_the_shared_settings()
        {
            var clients = GeneratedWrappers.ClientTypes().ToList();
            Assert.That(clients, Is.Not.Empty);

            foreach (var type in clients)
            {
                var client = GeneratedWrappers.CreateClient(type, new HttpClient());
                var settings = Aha.Client.Tests.Contract.GeneratedClients.SettingsOf(client);
                Assert.That(settings.DateParseHandling, Is.EqualTo(DateParseHandling.None), type.Name);
                Assert.That(settings.MetadataPropertyHandling, Is.EqualTo(MetadataPropertyHandling.Ignore), type.Name);
            }
        }

        /// <summary>Each ListAll wrapper, called with placeholder ids, pages through three pages of its own records.</summary>
        [Test]
        public async Task Every_ListAll_wrapper_pages_through_its_list()
        {
            foreach (var wrapper in GeneratedWrappers.ListAlls())
            {
                var itemType = wrapper.ReturnType.GetGenericArguments()[0];
                var recordsKey = RecordsKeyOf(wrapper);
                var server = new ListServer(450, PaginationShape.Object, recordsKey);

                var pageable = GeneratedWrappers.Call(wrapper, server.CreateHttpClient())!;
                var count = await (Task<int>)typeof(GeneratedListWrapperTests).GetMethod(nameof(CountAsync), BindingFlags.NonPublic | BindingFlags.Static)!
                    .MakeGenericMethod(itemType).Invoke(null, new[] { pageable })!;

                Assert.That(count, Is.EqualTo(450), wrapper.Name);
                Assert.That(server.RequestedPages, Is.EqualTo(new[] { 1, 2, 3 }), wrapper.Name);
                Assert.That(server.Requests.Select(r => r.PerPage), Is.All.EqualTo(200), wrapper.Name);
            }
        }

        private static async Task<int> CountAsync<T>(AhaPageable<T> pageable)
        {
            var count = 0;
            await foreach (var item in pageable)
            {
                count++;
            }

            return count;
        }

        /// <summary>The JSON name of the record array in the response of the list method behind a wrapper.</summary>
        private static string RecordsKeyOf(MethodInfo wrapper)
        {
            var receiver = wrapper.DeclaringType!;
            var list = receiver.GetMethods().Single(m => ClientModelBuilder.ListAllName(m.Name) == wrapper.Name && m.GetParameters().Any(p => p.ParameterType.GetProperty("Page") != null));
            var response = list.ReturnType.GetGenericArguments()[0];
            var itemType = wrapper.ReturnType.GetGenericArguments()[0];
            var property = response.GetProperties().First(p => p.PropertyType.IsGenericType && p.PropertyType.GetGenericArguments()[0] == itemType);
            return property.GetCustomAttribute<JsonPropertyAttribute>()!.PropertyName!;
        }
    }
}
