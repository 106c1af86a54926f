using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using Aha.Client.Generators;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

namespace Aha.Client.Tests.Generators
{
    /// <summary>
    /// Aha.Client.Generators driven by <see cref="CSharpGeneratorDriver"/> on synthetic sources shaped like NSwag's
    /// output (independent of the current spec), compiled against the real Aha.Client assembly.
    /// </summary>
    public class AhaClientGeneratorTests
    {
        private const string Synthetic = """
            #nullable enable
            namespace Synthetic
            {
                using System = global::System;

                [System.CodeDom.Compiler.GeneratedCode("NSwag", "14.7.1.0")]
                internal partial class WidgetsRestClient
                {
                    public WidgetsRestClient(System.Net.Http.HttpClient httpClient) { }

                    static partial void UpdateJsonSerializerSettings(Newtonsoft.Json.JsonSerializerSettings settings);

                    /// <summary>List widgets of a shop</summary>
                    /// <param name="shopId">The shop.</param>
                    /// <param name="event">A keyword-named filter.</param>
                    public virtual System.Threading.Tasks.Task<WidgetList> ListByShopAsync(string shopId, int? page = null, int? perPage = null, string? fields = null, string? @event = null, bool includeArchived = false, System.Threading.CancellationToken cancellationToken = default(System.Threading.CancellationToken))
                    { var m = new System.Net.Http.HttpMethod("GET"); throw new System.NotImplementedException(); }
                    public virtual System.Threading.Tasks.Task<GadgetList> ListGadgetsAsync(int? page = null, int? per_page = null, System.Threading.CancellationToken cancellationToken = default(System.Threading.CancellationToken))
                    { var m = new System.Net.Http.HttpMethod("GET"); throw new System.NotImplementedException(); }
                    public virtual System.Threading.Tasks.Task<ThingList> ListThingsAsync(int? page = null, int? perPage = null, System.Threading.CancellationToken cancellationToken = default(System.Threading.CancellationToken))
                    { var m = new System.Net.Http.HttpMethod("GET"); throw new System.NotImplementedException(); }
                    /// <summary>Get a widget</summary>
                    public virtual System.Threading.Tasks.Task<WidgetResponse> GetAsync(string id, string? fields = null, System.Threading.CancellationToken cancellationToken = default(System.Threading.CancellationToken))
                    { var m = new System.Net.Http.HttpMethod("GET"); throw new System.NotImplementedException(); }
                    /// <param name="body">The attributes to change, wrapped in `widget`.</param>
                    public virtual System.Threading.Tasks.Task<WidgetResponse> UpdateAsync(string id, WidgetUpdateRequest body, System.Threading.CancellationToken cancellationToken = default(System.Threading.CancellationToken))
                    { var m = new System.Net.Http.HttpMethod("PUT"); throw new System.NotImplementedException(); }
                    public virtual System.Threading.Tasks.Task<GadgetUpdate> SetAsync(string id, GadgetUpdate body, System.Threading.CancellationToken cancellationToken = default(System.Threading.CancellationToken))
                    { var m = new System.Net.Http.HttpMethod("PUT"); throw new System.NotImplementedException(); }
                    public virtual System.Threading.Tasks.Task<WidgetResponse> CreateAsync(WidgetUpdateRequest body, bool? disableMailers = null, System.Threading.CancellationToken cancellationToken = default(System.Threading.CancellationToken))
                    { var m = new System.Net.Http.HttpMethod("POST"); throw new System.NotImplementedException(); }
                    public virtual System.Threading.Tasks.Task DeleteAsync(string id, System.Threading.CancellationToken cancellationToken = default(System.Threading.CancellationToken))
                    { var m = new System.Net.Http.HttpMethod("DELETE"); throw new System.NotImplementedException(); }
                    /// <summary>List the history of a window</summary>
                    /// <param name="createdSince">Start of the window.</param>
                    public virtual System.Threading.Tasks.Task<WidgetList> ListHistoryAsync(System.DateTimeOffset createdSince, System.DateTimeOffset createdBefore, int? page = null, int? perPage = null, string? userId = null, System.Threading.CancellationToken cancellationToken = default(System.Threading.CancellationToken))
                    { var m = new System.Net.Http.HttpMethod("GET"); throw new System.NotImplementedException(); }
                    // As NSwag declares a multipart file part: optional, and without its '?'.
            #pragma warning disable CS8625
                    public virtual System.Threading.Tasks.Task<WidgetResponse> UploadAsync(string id, global::Aha.Client.FileParameter attachmentdata = null, System.Threading.CancellationToken cancellationToken = default(System.Threading.CancellationToken))
                    { var m = new System.Net.Http.HttpMethod("POST"); throw new System.NotImplementedException(); }
            #pragma warning restore CS8625
                }

                [System.CodeDom.Compiler.GeneratedCode("SomethingElse", "1.0")]
                internal partial class OtherRestClient
                {
                    public System.Threading.Tasks.Task<WidgetList> ListAsync(int? page = null, int? perPage = null, System.Threading.CancellationToken cancellationToken = default(System.Threading.CancellationToken)) => throw new System.NotImplementedException();
                }

                [System.CodeDom.Compiler.GeneratedCode("NSwag", "14.7.1.0")]
                internal partial class ClashRestClient
                {
                    public ClashRestClient(System.Net.Http.HttpClient httpClient) { }
                    public System.Threading.Tasks.Task<WidgetList> ListAsync(int? page = null, int? perPage = null, System.Threading.CancellationToken cancellationToken = default(System.Threading.CancellationToken)) => throw new System.NotImplementedException();
                    public System.Threading.Tasks.Task<WidgetList> ListAllAsync(System.Threading.CancellationToken cancellationToken = default(System.Threading.CancellationToken)) => throw new System.NotImplementedException();
                }

                [System.CodeDom.Compiler.GeneratedCode("NJsonSchema", "11.6.1.0")]
                public partial class Widget
                {
                    public string? Id { get; set; }
                    public string? Name { get; set; }
                    public WidgetDescription? Description { get; set; }
                    public global::Aha.Client.CustomFields? CustomFields { get; set; }
                    public System.Collections.Generic.List<string>? Tags { get; set; }
                    public string? CreatedAt { get; set; }
                }
                public partial class WidgetDescription { public string? Body { get; set; } }
                public partial class Gadget { public long? Id { get; set; } }
                public partial class Thing { public string? Name { get; set; } }
                public partial class WidgetList
                {
                    public System.Collections.Generic.List<Widget>? Widgets { get; set; }
                    public global::Aha.Client.Pagination? Pagination { get; set; }
                    public System.Collections.Generic.IDictionary<string, object> AdditionalProperties { get; set; } = new System.Collections.Generic.Dictionary<string, object>();
                }
                public partial class ListMeta { public global::Aha.Client.Pagination? Pagination { get; set; } }
                public partial class GadgetList
                {
                    public System.Collections.Generic.List<Gadget>? Gadgets { get; set; }
                    public ListMeta? Meta { get; set; }
                }
                public partial class ThingList { public int Count { get; set; } }
                public partial class WidgetResponse
                {
                    [Newtonsoft.Json.JsonProperty("widget")]
                    public Widget? Widget { get; set; }
                    public System.Collections.Generic.IDictionary<string, object> AdditionalProperties { get; set; } = new System.Collections.Generic.Dictionary<string, object>();
                }
                public partial class WidgetUpdate
                {
                    public string? Name { get; set; }
                    public string? Description { get; set; }
                    public System.Collections.Generic.List<string>? Tags { get; set; }
                    public global::Aha.Client.CustomFieldUpdate? CustomFields { get; set; }
                }
                public partial class WidgetUpdateRequest { [Newtonsoft.Json.JsonProperty("widget")] public WidgetUpdate Widget { get; set; } = new WidgetUpdate(); }
                public partial class GadgetUpdate { public global::Aha.Client.CustomFieldUpdate? CustomFields { get; set; } public string? Note { get; set; } }
            }
            """;

        private static readonly CSharpParseOptions ParseOptions = new CSharpParseOptions(LanguageVersion.Latest, DocumentationMode.Parse);

        private static IEnumerable<MetadataReference> References()
        {
            var paths = ((string)AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES")!).Split(Path.PathSeparator)
                .Concat(new[] { typeof(AhaPageable).Assembly.Location, typeof(Newtonsoft.Json.JsonConvert).Assembly.Location })
                .Where(p => p.Length > 0)
                .Distinct(StringComparer.Ordinal);
            return paths.Select(p => MetadataReference.CreateFromFile(p));
        }

        private static CSharpCompilation Compile(params string[] sources)
            // Named like this test assembly, which Aha.Client lets see its internals (InternalsVisibleTo), as the generated
            // code inside Aha.Client itself does: the emitted clients call the internal runtime helpers (AhaCall).
            => CSharpCompilation.Create(
                "Aha.Client.Tests",
                sources.Select(s => CSharpSyntaxTree.ParseText(s, ParseOptions)),
                References(),
                new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, nullableContextOptions: NullableContextOptions.Enable)
                    // As the .NET SDK does by default (NoWarn CS1701;CS1702): assembly-version unification notes, which appear when
                    // the net8.0 Aha.Client is referenced beside the running framework's assemblies; not about the generated code.
                    .WithSpecificDiagnosticOptions(new Dictionary<string, ReportDiagnostic> { ["CS1701"] = ReportDiagnostic.Suppress, ["CS1702"] = ReportDiagnostic.Suppress }));

        private static (GeneratorDriverRunResult Result, Compilation Output) Run(CSharpCompilation input, GeneratorDriver? driver = null)
        {
            driver ??= CSharpGeneratorDriver.Create(new[] { new AhaClientGenerator().AsSourceGenerator() }, parseOptions: ParseOptions,
                driverOptions: new GeneratorDriverOptions(IncrementalGeneratorOutputKind.None, trackIncrementalGeneratorSteps: true));
            driver = driver.RunGeneratorsAndUpdateCompilation(input, out var output, out _);
            return (driver.GetRunResult(), output);
        }

        private static string Generated(GeneratorDriverRunResult result, string hint)
            => result.Results.Single().GeneratedSources.Single(s => s.HintName == hint).SourceText.ToString();

        [Test]
        public void The_output_compiles_without_errors_or_warnings_other_than_the_reported_ones()
        {
            var (result, output) = Run(Compile(Synthetic));

            var problems = output.GetDiagnostics().Where(d => d.Severity >= DiagnosticSeverity.Warning && d.Id != "CS1591").ToList();
            Assert.That(problems, Is.Empty, string.Join(Environment.NewLine, problems));
            Assert.That(result.Results.Single().Exception, Is.Null);
        }

        [Test]
        public void Each_operation_becomes_a_virtual_method_with_its_own_options_type_and_an_unwrapped_body_and_result()
        {
            var (result, _) = Run(Compile(Synthetic));
            var source = Generated(result, "WidgetsClient.Aha.g.cs");

            Assert.That(source, Does.Contain("public partial class WidgetsClient"));
            Assert.That(source, Does.Contain("protected WidgetsClient()"), "mockable");
            Assert.That(source, Does.Contain("internal WidgetsClient(global::System.Net.Http.HttpClient httpClient)"), "only AhaClient connects it");
            Assert.That(source, Does.Contain("public virtual global::System.Threading.Tasks.Task<global::Synthetic.Widget> UpdateAsync(string id, global::Synthetic.WidgetUpdate widget, WidgetsUpdateOptions? options = null, global::System.Threading.CancellationToken cancellationToken = default)"));
            Assert.That(source, Does.Contain("body: new global::Synthetic.WidgetUpdateRequest { Widget = widget }"), "the wrapper is built by the client");
            Assert.That(source, Does.Contain("return response__.Widget ?? throw global::Aha.Client.AhaCall.MissingRecord(\"widget\", capture);"), "never a null record");
            Assert.That(source, Does.Contain("<param name=\"widget\">The attributes to change.</param>"));
            Assert.That(source, Does.Contain("public virtual global::System.Threading.Tasks.Task<global::Synthetic.WidgetList> ListByShopAsync(string shopId, WidgetsListByShopOptions? options = null, global::System.Threading.CancellationToken cancellationToken = default)"));
            Assert.That(source, Does.Contain("public sealed partial class WidgetsListByShopOptions : global::Aha.Client.AhaOperationOptions"));
            Assert.That(source, Does.Contain("public string? Event { get; set; }"));
            Assert.That(source, Does.Contain("public bool? IncludeArchived { get; set; }"));
            Assert.That(source, Does.Contain("Rest.ListByShopAsync(shopId: shopId, page: options?.Page, perPage: options?.PerPage, fields: options?.Fields, @event: options?.Event, includeArchived: options?.IncludeArchived ?? false, cancellationToken: cancellationToken)"));
            Assert.That(source, Does.Contain("public sealed partial class WidgetsDeleteOptions : global::Aha.Client.AhaOperationOptions"), "every operation has options, so a first query parameter is not a breaking change");
            Assert.That(source, Does.Contain("global::Aha.Client.AhaCall.RequireId(id, nameof(id));"), "empty ids are an ArgumentException");
            Assert.That(source, Does.Contain("public virtual global::System.Threading.Tasks.Task<global::Aha.Client.AhaResponse<global::Synthetic.Widget>> GetWithResponseAsync(string id, WidgetsGetOptions? options = null"));
            Assert.That(source, Does.Contain("public virtual global::System.Threading.Tasks.Task<global::Aha.Client.AhaResponse> DeleteWithResponseAsync(string id"));
            Assert.That(source, Does.Contain("public virtual global::System.Threading.Tasks.Task<global::Synthetic.Widget?> TryGetAsync(string id, WidgetsGetOptions? options = null"));
            Assert.That(source, Does.Not.Contain("TryListByShopAsync").And.Not.Contain("TryUpdateAsync"), "only reads of one record get TryGet");
            Assert.That(source, Does.Contain("public virtual global::System.Threading.Tasks.Task<global::Synthetic.GadgetUpdate> SetAsync(string id, global::Synthetic.GadgetUpdate body"), "a body that is not a wrapper stays as it is");
        }

        [Test]
        public void Paginated_lists_get_ListAll_methods_that_pass_the_options_through()
        {
            var (result, _) = Run(Compile(Synthetic));
            var source = Generated(result, "WidgetsClient.Aha.g.cs");

            Assert.That(source, Does.Contain("public virtual global::Aha.Client.AhaPageable<global::Synthetic.Widget> ListAllByShopAsync(string shopId, WidgetsListByShopOptions? options = null, global::System.Threading.CancellationToken cancellationToken = default)"));
            Assert.That(source, Does.Contain("var listOptions__ = options ?? new WidgetsListByShopOptions();"));
            Assert.That(source, Does.Contain("ListByShopAsync(shopId, listOptions__.WithPage__(page__, perPage__), cancellationToken__)"));
            Assert.That(source, Does.Contain("Pagination.Find(response__.Pagination, null, response__.AdditionalProperties)"));
            Assert.That(source, Does.Contain("static item__ => item__.Id,"));
            Assert.That(source, Does.Contain("<param name=\"shopId\">The shop.</param>"));
            Assert.That(source, Does.Contain("<summary>A keyword-named filter.</summary>"));

            Assert.That(source, Does.Contain("ListAllGadgetsAsync(WidgetsListGadgetsOptions? options = null, global::System.Threading.CancellationToken cancellationToken = default)"));
            Assert.That(source, Does.Contain("copy.PerPage = perPage;"));
            Assert.That(source, Does.Contain("Pagination.Find(null, response__.Meta?.Pagination, null)"));
            Assert.That(source, Does.Contain("global::System.Convert.ToString(item__.Id, global::System.Globalization.CultureInfo.InvariantCulture)"));
        }

        [Test]
        public void A_list_with_required_value_type_query_parameters_takes_them_positionally_and_its_ListAll_compiles()
        {
            var (result, output) = Run(Compile(Synthetic));
            var source = Generated(result, "WidgetsClient.Aha.g.cs");

            Assert.That(source, Does.Contain("ListHistoryAsync(global::System.DateTimeOffset createdSince, global::System.DateTimeOffset createdBefore, WidgetsListHistoryOptions? options = null"));
            Assert.That(source, Does.Contain("public virtual global::Aha.Client.AhaPageable<global::Synthetic.Widget> ListAllHistoryAsync(global::System.DateTimeOffset createdSince, global::System.DateTimeOffset createdBefore, WidgetsListHistoryOptions? options = null"));
            Assert.That(source, Does.Contain("ListHistoryAsync(createdSince, createdBefore, (options ?? new WidgetsListHistoryOptions()).WithPage__(page__, perPage__), cancellationToken__)"));
            Assert.That(source, Does.Not.Contain("createdSince is null"), "a value type cannot be null (CS0037)");
            Assert.That(source, Does.Contain("<param name=\"createdSince\">Start of the window.</param>"));
            Assert.That(source, Does.Not.Contain("public global::System.DateTimeOffset? CreatedSince"), "a required parameter is not an options member");
            Assert.That(output.GetDiagnostics().Where(d => d.Id == "CS0037"), Is.Empty);
        }

        [Test]
        public void A_multipart_upload_takes_its_file_as_a_required_parameter_named_file()
        {
            var (result, _) = Run(Compile(Synthetic));
            var source = Generated(result, "WidgetsClient.Aha.g.cs");

            Assert.That(source, Does.Contain("public virtual global::System.Threading.Tasks.Task<global::Synthetic.Widget> UploadAsync(string id, global::Aha.Client.FileParameter file, WidgetsUploadOptions? options = null, global::System.Threading.CancellationToken cancellationToken = default)"));
            Assert.That(source, Does.Contain("if (file is null) throw new global::System.ArgumentNullException(nameof(file));"), "a forgotten file is a typed error, not an empty upload");
            Assert.That(source, Does.Contain("Rest.UploadAsync(id: id, attachmentdata: file, cancellationToken: cancellationToken)"));
            Assert.That(source, Does.Contain("<param name=\"file\">The file to upload"));
            var options = source.Substring(source.IndexOf("public sealed partial class WidgetsUploadOptions", System.StringComparison.Ordinal));
            Assert.That(options.Substring(0, options.IndexOf("internal WidgetsUploadOptions Copy__", System.StringComparison.Ordinal)), Does.Not.Contain("FileParameter"), "never an options member");
        }

        [Test]
        public void Puts_carrying_custom_fields_get_UpdateCustomFields_methods_and_posts_do_not()
        {
            var (result, _) = Run(Compile(Synthetic));
            var source = Generated(result, "WidgetsClient.Aha.g.cs");

            Assert.That(source, Does.Contain("public virtual global::System.Threading.Tasks.Task<global::Synthetic.Widget> UpdateCustomFieldsAsync(string id, global::Aha.Client.CustomFieldUpdate customFields, WidgetsUpdateOptions? options = null, global::System.Threading.CancellationToken cancellationToken = default)"));
            Assert.That(source, Does.Contain("return UpdateAsync(id, new global::Synthetic.WidgetUpdate { CustomFields = customFields }, options, cancellationToken);"));
            Assert.That(source, Does.Contain("SetCustomFieldsAsync("));
            Assert.That(source, Does.Contain("new global::Synthetic.GadgetUpdate { CustomFields = customFields }"));
            Assert.That(source, Does.Contain("if (customFields.Count == 0)"));
            Assert.That(source, Does.Not.Contain("CreateCustomFields"));
        }

        /// <summary>Compiled into Aha.Client itself, where its internal paging helpers are visible.</summary>
        [Test]
        public void Lists_with_fields_add_the_id_and_responses_are_reported_before_deserialization()
        {
            var (result, _) = Run(Compile(Synthetic));
            var source = Generated(result, "WidgetsClient.Aha.g.cs");

            // The NSwag client's response hook tells a ListAll enumeration that the answer is back (before its body is read).
            Assert.That(source, Does.Contain("global::Aha.Client.PageResponseSignal.Notify();"));
            Assert.That(source, Does.Contain("return global::Aha.Client.AhaCall.ProcessResponseAsync(response, cancellationToken);"));

            // fields= without id: id is added to the request and cleared before a record is yielded.
            Assert.That(source, Does.Contain("var fields__ = global::Aha.Client.PagingFields.WithId(options?.Fields, out var idAdded__);"));
            Assert.That(source, Does.Contain("listOptions__ = listOptions__.Copy__();"), "the caller's options object is not changed");
            Assert.That(source, Does.Contain("listOptions__.Fields = fields__;"));
            Assert.That(source, Does.Contain("idAdded__ ? static item__ => item__.Id = default! : null,"));
            Assert.That(source, Does.Contain("AhaPageable.CreateList<global::Synthetic.WidgetList, global::Synthetic.Widget>("));
        }

        [Test]
        public void A_read_record_gets_ToUpdate_with_what_the_update_accepts_and_models_get_ToString()
        {
            var (result, _) = Run(Compile(Synthetic));
            var source = Generated(result, "WidgetsClient.Aha.g.cs");

            Assert.That(source, Does.Contain("partial class Widget"));
            Assert.That(source, Does.Contain("public global::Synthetic.WidgetUpdate ToUpdate() => new global::Synthetic.WidgetUpdate"));
            Assert.That(source, Does.Contain("Name = this.Name,"));
            Assert.That(source, Does.Contain("Description = this.Description?.Body,"), "the read object is reduced to what the update takes");
            Assert.That(source, Does.Contain("Tags = this.Tags is null ? null : new global::System.Collections.Generic.List<string>(this.Tags),"), "lists are copied");
            Assert.That(source, Does.Contain("CustomFields = this.CustomFields is null ? null : global::Aha.Client.CustomFieldUpdate.From(this.CustomFields),"));
            Assert.That(source, Does.Not.Contain("CreatedAt ="), "read-only attributes are not written back");

            var models = Generated(result, "Models.ToString.g.cs");
            Assert.That(models, Does.Contain("public override string ToString() => global::Aha.Client.AhaCall.Describe(\"Widget\", global::Aha.Client.AhaCall.Quoted(Name), global::Aha.Client.AhaCall.IdPart(Id));"));
            Assert.That(models, Does.Not.Contain("partial class Gadget"), "only models generated by NJsonSchema");
        }

        [Test]
        public void Every_nswag_client_gets_the_json_settings_hook_and_nothing_else_is_touched()
        {
            var (result, _) = Run(Compile(Synthetic));
            var hints = result.Results.Single().GeneratedSources.Select(s => s.HintName).ToList();

            Assert.That(Generated(result, "WidgetsClient.Aha.g.cs"), Does.Contain("static partial void UpdateJsonSerializerSettings(global::Newtonsoft.Json.JsonSerializerSettings settings)"));
            Assert.That(hints, Does.Not.Contain("OtherClient.Aha.g.cs"), "not an NSwag client");
            Assert.That(Generated(result, "ClashClient.Aha.g.cs"), Does.Not.Contain("UpdateJsonSerializerSettings"), "no hook declared: none implemented");
        }

        [Test]
        public void A_list_without_a_record_array_and_a_taken_name_are_reported_not_skipped_silently()
        {
            var (result, _) = Run(Compile(Synthetic));
            var diagnostics = result.Diagnostics;

            var noRecords = diagnostics.Single(d => d.Id == "AHAGEN001");
            Assert.That(noRecords.Severity, Is.EqualTo(DiagnosticSeverity.Warning));
            Assert.That(noRecords.GetMessage(), Does.Contain("ListThingsAsync").And.Contain("ThingList"));
            Assert.That(noRecords.Location.GetLineSpan().StartLinePosition.Line, Is.GreaterThan(0), "points at the method");

            var clash = diagnostics.Single(d => d.Id == "AHAGEN002");
            Assert.That(clash.GetMessage(), Does.Contain("ListAllAsync"));
        }

        [Test]
        public void An_unrelated_edit_reuses_the_cached_output()
        {
            GeneratorDriver driver = CSharpGeneratorDriver.Create(new[] { new AhaClientGenerator().AsSourceGenerator() }, parseOptions: ParseOptions,
                driverOptions: new GeneratorDriverOptions(IncrementalGeneratorOutputKind.None, trackIncrementalGeneratorSteps: true));
            var input = Compile(Synthetic, "namespace Other { class A { } }");
            driver = driver.RunGenerators(input);

            var edited = input.ReplaceSyntaxTree(input.SyntaxTrees.Last(), CSharpSyntaxTree.ParseText("namespace Other { class A { int x; } }", ParseOptions));
            var second = driver.RunGenerators(edited).GetRunResult().Results.Single();

            var reasons = second.TrackedOutputSteps.SelectMany(s => s.Value).SelectMany(step => step.Outputs).Select(o => o.Reason).ToList();
            Assert.That(reasons, Is.Not.Empty);
            Assert.That(reasons, Is.All.EqualTo(IncrementalStepRunReason.Cached).Or.EqualTo(IncrementalStepRunReason.Unchanged));
        }

        [TestCase("ListAsync", "ListAllAsync")]
        [TestCase("ListByProductAsync", "ListAllByProductAsync")]
        [TestCase("GetAssignedAsync", "GetAllAssignedAsync")]
        [TestCase("AssignedAsync", "ListAllAssignedAsync")]
        public void List_wrapper_names(string method, string wrapper) => Assert.That(ClientModelBuilder.ListAllName(method), Is.EqualTo(wrapper));

        [TestCase("UpdateAsync", "UpdateCustomFieldsAsync")]
        [TestCase("UpdateForProductAsync", "UpdateCustomFieldsForProductAsync")]
        [TestCase("SetAsync", "SetCustomFieldsAsync")]
        public void Update_wrapper_names(string method, string wrapper) => Assert.That(ClientModelBuilder.UpdateCustomFieldsName(method), Is.EqualTo(wrapper));
    }
}
