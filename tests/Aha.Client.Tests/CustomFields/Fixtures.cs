namespace Aha.Client.Tests.CustomFields
{
    /// <summary>
    /// A feature whose custom fields hold every value kind the Aha! documents show (seeds 000 L1341-1356, L1505-1572,
    /// L4327-4371; 004 L1769-1790), plus the awkward cases: ids as strings and numbers, both timestamp spellings,
    /// HTML with unicode, 19-digit numbers as string and as number, a 30-digit number, dates inside free-form values,
    /// an unknown type and a null value.
    /// </summary>
    internal static class Fixtures
    {
        public const string Html = "<p>Grüße — 日本語 😀 &amp; \"quotes\" <b>bold</b></p>";

        public const string FeatureJson = """
        {"feature":{
          "id":"1007868956","name":"Feature 1","start_date":"2019-01-01","created_at":"2019-01-01T00:00:00.000Z",
          "custom_fields":[
            {"id":"6776757454438660320","key":"priority","name":"Priority","updatedAt":"2019-01-01T00:00:00Z","value":"P3","type":"string"},
            {"id":848810602,"key":"expected_completion_date","name":"Expected completion date","updatedAt":"2019-01-01T00:00:00Z","value":"2019-01-01","type":"date"},
            {"id":1,"key":"score","name":"Score","updated_at":"2019-02-03T04:05:06.789Z","value":7,"type":"number"},
            {"id":2,"key":"ratio","name":"Ratio","value":10.25,"type":"number"},
            {"id":"432637490","key":"note","name":"Note","updatedAt":"2019-01-01T00:00:00Z","body":"<p>Grüße — 日本語 😀 &amp; \"quotes\" <b>bold</b></p>","created_at":"2019-01-01T00:00:00.000Z","updated_at":"2019-01-01T00:00:00.000Z","attachments":[],"value":"<p>Grüße — 日本語 😀 &amp; \"quotes\" <b>bold</b></p>","type":"note"},
            {"id":585340588,"key":"component","name":"Component","updatedAt":"2019-01-01T00:00:00Z","value":["web","mobile"],"type":"array"},
            {"key":"labels","name":"Labels","value":["a","b"],"type":"tags"},
            {"id":3,"key":"reviewers","name":"Reviewers","value":[{"id":"16338845","name":"John Smith","email":"no-reply@aha.io"},{"id":16338846,"name":"Jane Doe","email":"jane@aha.io"}],"type":"users"},
            {"id":4,"key":"owner","name":"Owner","value":{"id":"16338845","name":"John Smith","email":"no-reply@aha.io"},"type":"user"},
            {"id":5,"key":"spec_url","name":"Spec","value":"https://example.com/spec?a=1&b=2","type":"url"},
            {"id":1051489895,"key":"equation_specs_field","name":"Equation specs field","updatedAt":"2019-01-01T00:00:00Z","value":{"values":{"123":{"value":10,"name":"a","display_value":"10.0"},"456":{"value":"Foobar","name":"b","display_value":"Foobar"},"789":{"value":null,"name":"789","display_value":null}}},"type":"equation_sheet"},
            {"id":694694494,"key":"negative_scorecard","name":"Negative custom scorecard","updatedAt":"2019-01-01T00:00:00Z","value":31,"type":"scorecard","score_facts":[{"id":"462102328","value":6,"name":"Negative default value"}]},
            {"id":736691743,"key":"upload","name":"Upload","updatedAt":"2019-01-01T00:00:00Z","attachments":[{"id":"471688235","created_at":"2019-01-01T00:00:00.000Z","file_name":"uploaded_file_name.txt","file_size":123}],"type":"attachment"},
            {"id":6,"key":"big_number_text","name":"Big text","value":"6776757454438660320","type":"string"},
            {"id":7,"key":"big_number","name":"Big number","value":6776757454438660320,"type":"number"},
            {"id":8,"key":"huge_number","name":"Huge number","value":123456789012345678901234567890,"type":"number"},
            {"id":9,"key":"linked","name":"Linked","value":{"record_ids":[640362830,6776757454438660321],"record_type":"CustomObjectRecord"},"type":"record"},
            {"id":10,"key":"timestamp_text","name":"Timestamp text","value":"2019-01-01T10:00:00.120+02:00","type":"string"},
            {"id":11,"key":"future_kind","name":"Future kind","value":{"x":[1,"2019-01-01T00:00:00Z",{"$type":"kept"}]},"type":"hologram"},
            {"id":12,"key":"cleared","name":"Cleared","value":null,"type":"string"},
            {"id":13,"key":"flag","name":"Flag","value":true,"type":"boolean"}
          ]
        }}
        """;

        public const string IdeaOrganizationCustomFields = """{"industry":"Technology","size":"Large","founded":"2001-05-06","employees":1200,"regions":["EU","US"]}""";
    }
}
