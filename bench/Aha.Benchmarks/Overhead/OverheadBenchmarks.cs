using System.IO;
using System.Text;
using System.Threading.Tasks;
using Aha.Benchmarks.Infrastructure;
using Aha.Client;
using Aha.Client.Serialization;
using BenchmarkDotNet.Attributes;
using Newtonsoft.Json;

namespace Aha.Benchmarks.Overhead
{
    /// <summary>
    /// What the client adds on top of the JSON work it cannot avoid. Each class pairs one client call with its baseline:
    /// plain Newtonsoft.Json (de)serializing the same bytes into the same DTOs, through a stream, with the client's
    /// settings (<see cref="AhaJson.CreateSettings"/>). Ratio and Alloc Ratio in the summary are client / baseline.
    /// </summary>
    public abstract class OverheadBenchmarkBase
    {
        private protected JsonSerializer Serializer { get; } = JsonSerializer.Create(AhaJson.CreateSettings());

        private protected T Deserialize<T>(byte[] bytes)
        {
            using var stream = new MemoryStream(bytes, writable: false);
            using var text = new StreamReader(stream, Encoding.UTF8);
            using var json = new JsonTextReader(text);
            return Serializer.Deserialize<T>(json)!;
        }
    }

    /// <summary>One page of 200 full features (<c>fields=*</c>, custom fields of every kind, ~300 KB).</summary>
    [MemoryDiagnoser]
    public class FeaturePage : OverheadBenchmarkBase
    {
        private byte[] _bytes = null!;
        private AhaClient _aha = null!;

        [GlobalSetup]
        public void Setup()
        {
            _bytes = Payloads.Load(Payloads.FeaturePage);
            _aha = BenchClients.Create(new ReplayHandler(_bytes));
        }

        [Benchmark(Baseline = true, Description = "Newtonsoft.Json: bytes -> FeatureList")]
        public FeatureList Baseline() => Deserialize<FeatureList>(_bytes);

        [Benchmark(Description = "aha.Features.ListAsync(200, fields=*)")]
        public Task<FeatureList> Client() => _aha.Features.ListAsync(new FeaturesListOptions { Page = 1, PerPage = 200, Fields = "*" });
    }

    /// <summary>One full feature: <c>GET /features/{id}</c>.</summary>
    [MemoryDiagnoser]
    public class SingleFeature : OverheadBenchmarkBase
    {
        private byte[] _bytes = null!;
        private AhaClient _aha = null!;
        private FeaturesClient _bare = null!;

        [GlobalSetup]
        public void Setup()
        {
            _bytes = Payloads.Load(Payloads.SingleFeature);
            _aha = BenchClients.Create(new ReplayHandler(_bytes));
            _bare = new AhaClient(new System.Net.Http.HttpClient(new ReplayHandler(_bytes)) { BaseAddress = new System.Uri("https://bench.aha.io/api/v1/") }).Features;
        }

        [Benchmark(Baseline = true, Description = "Newtonsoft.Json: bytes -> FeatureResponse")]
        public FeatureResponse Baseline() => Deserialize<FeatureResponse>(_bytes);

        [Benchmark(Description = "aha.Features.GetAsync(id)")]
        public Task<Feature> Client() => _aha.Features.GetAsync(BenchClients.FeatureId);

        /// <summary>The same generated client over a bare HttpClient (no pipeline): not a benchmark, a comparison point for the paired runner.</summary>
        public Task<Feature> Bare() => _bare.GetAsync(BenchClients.FeatureId);
    }

    /// <summary>
    /// A custom-field update: <c>PUT /features/{id}</c> with <c>{"feature":{"custom_fields":{...}}}</c> (serialization
    /// side), answered by the full record. Baseline: serialize the same request DTO to a stream, then deserialize the
    /// same answer.
    /// </summary>
    [MemoryDiagnoser]
    public class CustomFieldUpdateRequest : OverheadBenchmarkBase
    {
        private byte[] _answer = null!;
        private AhaClient _aha = null!;
        private CustomFieldUpdate _update = null!;

        internal static CustomFieldUpdate SampleUpdate() => CustomFieldUpdate
            .Set("priority", "P1")
            .Set("score", 7)
            .Set("expected_completion_date", new System.DateTime(2026, 3, 1))
            .Set("components", new[] { "web", "api", "mobile" })
            .Set("note", "<p>Customer call: ship the CSV export before the Q2 review — 顧客の要望 ✅</p>")
            .SetJson("equation_specs_field", "{\"inputs\":[{\"name\":\"reach\",\"value\":1200},{\"name\":\"effort\",\"value\":3.5}],\"formula\":\"reach/effort\"}");

        [GlobalSetup]
        public void Setup()
        {
            _answer = Payloads.Load(Payloads.SingleFeature);
            _aha = BenchClients.Create(new ReplayHandler(_answer));
            _update = SampleUpdate();
        }

        [Benchmark(Baseline = true, Description = "Newtonsoft.Json: request -> stream, answer -> FeatureResponse")]
        public FeatureResponse Baseline()
        {
            var body = new FeatureUpdateRequest { Feature = new FeatureUpdate { CustomFields = _update } };
            using (var stream = new MemoryStream())
            {
                using var text = new StreamWriter(stream, new UTF8Encoding(false), 1024, leaveOpen: true);
                using var json = new JsonTextWriter(text);
                Serializer.Serialize(json, body);
            }

            return Deserialize<FeatureResponse>(_answer);
        }

        [Benchmark(Description = "aha.Features.UpdateCustomFieldsAsync(id, update)")]
        public Task<Feature> Client() => _aha.Features.UpdateCustomFieldsAsync(BenchClients.FeatureId, _update);
    }
}
