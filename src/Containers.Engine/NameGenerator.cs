namespace Containers.Engine;

/// <summary>Docker-style default names: adjective_surname.</summary>
internal static class NameGenerator
{
    private static readonly string[] Adjectives =
    [
        "admiring", "affectionate", "amazing", "awesome", "blissful", "bold", "brave", "charming", "clever", "compassionate",
        "competent", "confident", "cool", "dazzling", "determined", "eager", "ecstatic", "elastic", "elegant", "epic",
        "focused", "friendly", "gallant", "gifted", "goofy", "gracious", "happy", "hopeful", "inspiring", "jolly",
        "jovial", "keen", "kind", "laughing", "loving", "lucid", "magical", "modest", "nice", "nifty",
        "nostalgic", "optimistic", "peaceful", "pensive", "practical", "priceless", "quirky", "relaxed", "serene", "sharp",
        "silly", "sleepy", "stoic", "strange", "sweet", "tender", "thirsty", "trusting", "upbeat", "vibrant",
        "vigilant", "wizardly", "wonderful", "youthful", "zealous", "zen",
    ];

    private static readonly string[] Surnames =
    [
        "agnesi", "albattani", "allen", "archimedes", "babbage", "banach", "bardeen", "bartik", "bell", "bhabha",
        "booth", "borg", "bose", "brattain", "cannon", "carson", "cerf", "chandrasekhar", "curie", "darwin",
        "diffie", "dijkstra", "einstein", "elion", "euclid", "euler", "faraday", "fermat", "fermi", "feynman",
        "franklin", "galileo", "gauss", "goldberg", "goodall", "hamilton", "hawking", "heisenberg", "hodgkin", "hopper",
        "hypatia", "jackson", "jennings", "kalam", "kepler", "knuth", "lamarr", "leakey", "lovelace", "lumiere",
        "mayer", "mccarthy", "mendel", "mirzakhani", "morse", "napier", "newton", "noether", "pascal", "pasteur",
        "perlman", "poincare", "ritchie", "shannon", "shockley", "sinoussi", "tesla", "thompson", "torvalds", "turing",
        "volhard", "wilson", "wing", "wozniak", "wright", "yalow", "yonath",
    ];

    public static string Next(int attempt)
    {
        string name = $"{Adjectives[Random.Shared.Next(Adjectives.Length)]}_{Surnames[Random.Shared.Next(Surnames.Length)]}";
        return attempt < 10 ? name : name + Random.Shared.Next(10, 100);
    }
}
