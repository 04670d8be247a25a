using MesFast.Node.Rpc;

namespace MesFast.Node.Tests.Rpc;

public class JsonScratchTests
{
    [Fact]
    public void A_returned_scratch_comes_back_empty_even_after_a_half_written_value()
    {
        // A method that throws mid-result leaves its writer inside an object; the next call must not inherit that.
        var scratches = new List<JsonScratch>();
        for (int i = 0; i < 40; i++)
        {
            var s = JsonScratch.Rent();
            s.Writer.WriteStartObject();
            s.Writer.WritePropertyName("half");
            scratches.Add(s);
        }
        foreach (var s in scratches) s.Return();
        for (int i = 0; i < 80; i++)
        {
            var s = JsonScratch.Rent();
            s.Writer.Flush();
            Assert.Equal(0, s.Written.Length);
            Assert.Equal(0, s.Writer.CurrentDepth);
            s.Writer.WriteNumberValue(i);
            s.Writer.Flush();
            Assert.Equal(i.ToString(System.Globalization.CultureInfo.InvariantCulture), System.Text.Encoding.UTF8.GetString(s.Written));
            scratches[i % scratches.Count] = s;
        }
        foreach (var s in scratches) s.Return();
    }
}
