using System;
using System.Net;
using System.Net.Http;
using System.Text;
using System.Threading.Tasks;
using Aha.Client.Tests.Contract.Schemas;
using Newtonsoft.Json;
using Newtonsoft.Json.Linq;
using RichardSzalay.MockHttp;

namespace Aha.Client.Tests.Contract.Reference
{
    /// <summary>
    /// Variants of what Aha! sends that its published examples do not show (invented here, named as such): the models
    /// keep a member of an unexpected shape verbatim instead of losing the page, never depend on the machine's time zone,
    /// and the client reports what it cannot read as an <see cref="AhaApiException"/>.
    /// </summary>
    [TestFixture]
    public class RealVariantTests
    {
        private static JsonSerializerSettings Settings => SchemaValidationTests.Settings.Value;

        [Test]
        public void Invented_release_theme_sent_as_a_string_is_kept_and_the_page_is_read()
        {
            const string Json = "{\"releases\":[{\"id\":\"1\",\"name\":\"R1\",\"theme\":\"Our first big release\"},{\"id\":\"2\",\"name\":\"R2\",\"theme\":{\"body\":\"B\"}}]}";
            var page = JsonConvert.DeserializeObject<ReleaseList>(Json, Settings)!;
            Assert.That(page.Releases, Has.Count.EqualTo(2));
            Assert.That(page.Releases![0].Theme, Is.Null);
            Assert.That(page.Releases[0].AdditionalProperties["theme"], Is.EqualTo(new JValue("Our first big release")), "kept verbatim in AdditionalProperties");
            Assert.That(page.Releases[1].Theme!.Body, Is.EqualTo("B"));
            Assert.That(JToken.DeepEquals(JToken.Parse(JsonConvert.SerializeObject(page, Settings)), JToken.Parse(Json)), "written back unchanged");
        }

        [Test]
        public void Invented_empty_and_timestamp_values_in_a_date_field_are_kept()
        {
            const string Json = "{\"release\":{\"id\":\"1\",\"start_date\":\"\",\"end_date\":\"2019-01-01T10:00:00Z\",\"release_date\":\"2019-02-03\"}}";
            var release = JsonConvert.DeserializeObject<ReleaseResponse>(Json, Settings)!.Release!;
            Assert.That(release.StartDate, Is.Null);
            Assert.That(release.AdditionalProperties["start_date"], Is.EqualTo(new JValue(string.Empty)));
            Assert.That(release.AdditionalProperties["end_date"], Is.EqualTo(new JValue("2019-01-01T10:00:00Z")));
            Assert.That(release.ReleaseDate, Is.EqualTo(new DateTimeOffset(2019, 2, 3, 0, 0, 0, TimeSpan.Zero)));
            Assert.That(JToken.DeepEquals(JToken.Parse(JsonConvert.SerializeObject(new ReleaseResponse { Release = release }, Settings)), JToken.Parse(Json)), "written back unchanged");
        }

        [Test]
        public void Invented_timestamp_without_a_zone_is_read_as_UTC_whatever_the_machine_zone()
        {
            const string Json = "{\"feature\":{\"id\":\"1\",\"created_at\":\"2019-01-01T10:00:00\"}}";
            using (LocalTimeZone.Set(TimeZoneInfo.CreateCustomTimeZone("Test-07:00", TimeSpan.FromHours(-7), "Test-07:00", "Test-07:00")))
            {
                var feature = JsonConvert.DeserializeObject<FeatureResponse>(Json, Settings)!.Feature!;
                Assert.That(feature.CreatedAt, Is.EqualTo(new DateTimeOffset(2019, 1, 1, 10, 0, 0, TimeSpan.Zero)));
                Assert.That(feature.CreatedAt!.Value.Offset, Is.EqualTo(TimeSpan.Zero));
                Assert.That(JsonConvert.SerializeObject(feature, Settings), Does.Contain("\"created_at\":\"2019-01-01T10:00:00.000Z\""));
            }
        }

        [Test]
        public async Task Invented_single_record_answer_without_its_wrapper_is_an_AhaApiException()
        {
            var error = await CallGetFeatureAsync("{\"id\":\"1007868956\",\"name\":\"Unwrapped\"}");
            Assert.That(error, Is.InstanceOf<AhaApiException>());
            Assert.That(error!.ToString(), Does.Contain("'feature' wrapper").And.Contain("FeatureResponse"));
        }

        [Test]
        public async Task Invented_malformed_value_without_a_keeper_is_an_AhaApiException_not_a_FormatException()
        {
            var error = await CallGetFeatureAsync("{\"feature\":\"not a record\"}");
            Assert.That(error, Is.InstanceOf<AhaApiException>(), "a JsonException wrapped by the generated client");
            Assert.That(error!.InnerException, Is.InstanceOf<JsonException>());
            Assert.That(error.ToString(), Does.Not.Contain("FormatException"));
        }

        private static async Task<Exception?> CallGetFeatureAsync(string body)
        {
            var mock = new MockHttpMessageHandler();
            mock.When("*").Respond(_ => new HttpResponseMessage(HttpStatusCode.OK) { Content = new StringContent(body, Encoding.UTF8, "application/json") });
            using var http = mock.ToHttpClient();
            http.BaseAddress = new Uri("https://company.aha.io/api/v1/");
            var client = new FeaturesClient(http);
            try
            {
                await client.GetAsync("PRJ1-1");
                return null;
            }
            catch (Exception ex)
            {
                return ex;
            }
        }
    }
}
