// Package datasets describes the public data sets FounderLab's chapters use,
// finds them in a local data directory, and downloads them when missing.
//
// Every data set has a [Card]: where it comes from (a public repository at a
// fixed commit), its license, and the sha256 of each file. Files are looked
// up in the data directory given by $FOUNDERLAB_DATA (see [Dir]); a missing
// file is downloaded from its public source into that directory, checked
// against its sha256, and only then renamed into place, so a failed or
// tampered download never leaves a file that looks valid.
//
// The data itself is never part of the FounderLab repository. Loaders that
// turn these files into typed values live beside the chapter packages that
// use them (for example persona for the wholesale customers).
package datasets

import (
	"fmt"
	"os"
	"path/filepath"
	"sort"
)

// EnvDataDir names the environment variable that points at the data directory.
const EnvDataDir = "FOUNDERLAB_DATA"

// Dir returns the data directory: $FOUNDERLAB_DATA when set, otherwise
// "founderlab/datasets" under the user's cache directory
// (~/.cache/founderlab/datasets on Linux). The directory need not exist yet.
func Dir() (string, error) {
	if d := os.Getenv(EnvDataDir); d != "" {
		abs, err := filepath.Abs(d)
		if err != nil {
			return "", fmt.Errorf("datasets: $%s=%q: %w", EnvDataDir, d, err)
		}
		return abs, nil
	}
	cache, err := os.UserCacheDir()
	if err != nil {
		return "", fmt.Errorf("datasets: no $%s and no user cache directory: %w", EnvDataDir, err)
	}
	return filepath.Join(cache, "founderlab", "datasets"), nil
}

// File is one file of a data set.
type File struct {
	// Name is the file's path inside the data set's directory.
	Name string
	// URL is where the file can be downloaded from.
	URL string
	// SHA256 is the hex sha256 of the file's bytes.
	SHA256 string
	// Size is the file's length in bytes; a download may not exceed it.
	Size int64
}

// Card describes a data set: what it holds, where it comes from, and under
// which license it may be used.
type Card struct {
	// Name is the data set's directory name inside the data directory.
	Name string
	// Title is a human-readable title.
	Title string
	// Description says what the rows are and which chapter uses them.
	Description string
	// Rows is the number of data rows in the main file(s), as documented.
	Rows string
	// License is the data set's license.
	License string
	// Source names the public repository and commit the files come from.
	Source string
	// Files lists the data set's files.
	Files []File
}

// File returns the card's file with the given name.
func (c Card) File(name string) (File, error) {
	for _, f := range c.Files {
		if f.Name == name {
			return f, nil
		}
	}
	return File{}, fmt.Errorf("datasets: %s has no file %q", c.Name, name)
}

// Size returns the total size of the card's files in bytes.
func (c Card) Size() int64 {
	var n int64
	for _, f := range c.Files {
		n += f.Size
	}
	return n
}

// Lookup returns the card of the named data set.
func Lookup(name string) (Card, error) {
	for _, c := range Cards() {
		if c.Name == name {
			return c, nil
		}
	}
	names := make([]string, 0, len(Cards()))
	for _, c := range Cards() {
		names = append(names, c.Name)
	}
	sort.Strings(names)
	return Card{}, fmt.Errorf("datasets: unknown data set %q (known: %v)", name, names)
}

func raw(repo, commit, path string) string {
	return "https://raw.githubusercontent.com/" + repo + "/" + commit + "/" + path
}

// Cards returns the cards of all data sets, in a fresh slice.
func Cards() []Card {
	const (
		wholesaleRepo = "harshvardhaniimi/hierarchical-clustering"
		wholesaleRev  = "3e2a5287a21e518ea45a5f3d487efbcbce1198f2"
		s2dRepo       = "mistralai/cookbook"
		s2dRev        = "1cf863b8a356d4cd562d1008d71bd63484d7fdd8"
		bankRepo      = "PolyAI-LDN/task-specific-datasets"
		bankRev       = "57ec275d8078af65b7731c2a98be812d844a6d6b"
		finRepo       = "umaima-aman/Twee_Sentiment_Analysis-DeepLearning"
		finRev        = "0286b19b35c7d658dc28068381c765df4758545a"
		netflixRepo   = "Aniket6207/Tutorial---How-to-use-weaviate-for-movie-recommendation"
		netflixRev    = "2d9a67f383fd2fcb257480817dbc41c097d7c490"
		mlRepo        = "HeewoongNoh/2022_DSAIL_Internship"
		mlRev         = "4b36ca33bb44bbbc143b810f96b2465e973093d4"
	)
	ml := func(name string, size int64, sum string) File {
		return File{Name: name, Size: size, SHA256: sum, URL: raw(mlRepo, mlRev, "ml-latest-small/"+name)}
	}
	return []Card{
		{
			Name:        "wholesale",
			Title:       "Wholesale customers",
			Description: "Annual spending (monetary units) of 440 clients of a Portuguese wholesale distributor on six product categories, with sales channel (1 Horeca, 2 Retail) and region. Used in notebook 02 (personas, the seed's §3.2.1 and §4.2.1) for k-means persona clustering.",
			Rows:        "440",
			License:     "CC BY 4.0 (UCI Machine Learning Repository, Wholesale customers)",
			Source:      wholesaleRepo + " @" + wholesaleRev,
			Files: []File{{Name: "wholesale_customers.csv", Size: 17384, SHA256: "3f0870127f523be113e254149ebcd746442c99fc768a8204e42b49b297247dbd",
				URL: raw(wholesaleRepo, wholesaleRev, "Wholesale%20customers%20data.csv")}},
		},
		{
			Name:        "symptom2disease",
			Title:       "Symptom2Disease",
			Description: "1,200 free-text symptom descriptions, 50 for each of 24 diseases (columns: index, label, text). Used in notebook 06 (BERT medical diagnosis, the seed's chapter 5) for fine-tuning a symptom classifier.",
			Rows:        "1200",
			License:     "MIT (repository); original Kaggle \"Symptom2Disease\"",
			Source:      s2dRepo + " @" + s2dRev,
			Files: []File{{Name: "symptom2disease.csv", Size: 229852, SHA256: "00c14a2f38c041179d24a91de80c4b3a9d105f58982aa52e96a7226ca994dba8",
				URL: raw(s2dRepo, s2dRev, "data/Symptom2Disease.csv")}},
		},
		{
			Name:        "banking77",
			Title:       "Banking77",
			Description: "Online banking customer-service queries labelled with one of 77 intents (columns: text, category). Used in notebook 07 (intelligent customer service, the seed's §6.1) for intent classification and out-of-scope hand-over.",
			Rows:        "10003 train / 3080 test",
			License:     "CC BY 4.0",
			Source:      bankRepo + " @" + bankRev,
			Files: []File{
				{Name: "train.csv", Size: 839073, SHA256: "b06e26ac675513959a63135f11b94ea7786ed02da65db93a5650d8838cbc664b", URL: raw(bankRepo, bankRev, "banking_data/train.csv")},
				{Name: "test.csv", Size: 239961, SHA256: "d12d6e3bc4c3103966ae786dc435913c0c563dfa328f5a3646d0e62cfeeb474d", URL: raw(bankRepo, bankRev, "banking_data/test.csv")},
				{Name: "categories.json", Size: 2036, SHA256: "53261da888122daf2d120d925458631d9619e15d82e56052e7a42e535ce32b63", URL: raw(bankRepo, bankRev, "banking_data/categories.json")},
				{Name: "LICENSE", Size: 18650, SHA256: "7e7170e3cebf88a9f60c7b8421418323c09304da1af4d5e90f4da1dc1c8a2661", URL: raw(bankRepo, bankRev, "LICENSE")},
			},
		},
		{
			Name:        "fin-sentiment",
			Title:       "Twitter financial news sentiment",
			Description: "Finance-related tweets labelled 0 bearish, 1 bullish, 2 neutral (columns: text, label). Used in notebook 08 (sentiment monitoring, the seed's §6.2) for sentiment classification and a simulated alert stream.",
			Rows:        "9543 train / 2388 valid",
			License:     "MIT (upstream twitter-financial-news-sentiment card)",
			Source:      finRepo + " @" + finRev,
			Files: []File{
				{Name: "train.csv", Size: 868189, SHA256: "184e6322b7f0e84c3103a83d198f1be8203de8b63a857f67a2964321b71c4e8d", URL: raw(finRepo, finRev, "sent_train.csv")},
				{Name: "valid.csv", Size: 219767, SHA256: "393572beac5064ed60c9f608a57dc66af2b41a91b89c149932d5c57f827e25da", URL: raw(finRepo, finRev, "sent_valid.csv")},
			},
		},
		{
			Name:        "netflix",
			Title:       "Netflix titles",
			Description: "8,807 Netflix movies and shows with cast, country, genres (listed_in) and description. Used in notebook 09 (recommendation, the seed's §6.3): plot descriptions joined to MovieLens movies by normalised title and year, as item text.",
			Rows:        "8807",
			License:     "CC0 1.0 (uploader's claim)",
			Source:      netflixRepo + " @" + netflixRev,
			Files: []File{{Name: "netflix_titles.csv", Size: 3355540, SHA256: "5173ccf0541aeb631290bf4f1605f036df0e6e25ce6774cc03b4afe4a9497565",
				URL: raw(netflixRepo, netflixRev, "netflix_titles.csv")}},
		},
		{
			Name:        "movielens-small",
			Title:       "MovieLens ml-latest-small",
			Description: "100,836 ratings (0.5–5 stars) and 3,683 tags by 610 users on 9,742 movies, with titles and genres (generated 2018-09-26 by GroupLens). Used in notebook 09 (recommendation, the seed's §6.3) for recommendation from behaviour and item text. Cite: F. Maxwell Harper and Joseph A. Konstan, 2015, The MovieLens Datasets: History and Context, ACM TiiS 5(4):19.",
			Rows:        "100836 ratings / 9742 movies",
			License:     "GroupLens research license (README.txt): research use, no commercial use without permission, redistribute only under the same terms",
			Source:      "MovieLens ml-latest-small (grouplens.org); copy at " + mlRepo + " @" + mlRev,
			Files: []File{
				ml("ratings.csv", 2382886, "80da8b3393dae325bbba5a31f291a6ba55d8d4f4396de3c456f2c1635b1b70e8"),
				ml("movies.csv", 484688, "c47b783f23eb304413307e1bb05335e427737da20ec8d3c0e96335567dd5f3dc"),
				ml("tags.csv", 114976, "68eec00a0820c2faa8863a6df7032f13d5899a4462bce9a97213905297ff3d34"),
				ml("links.csv", 188236, "028a4a1d17751ca9276e0e0718cfc22356350f224a996e1ec348c23274b9209d"),
				ml("README.txt", 8351, "569448aba20b7eb111dbaa271231a51a9c25add372ededf84256dc592a1fceaf"),
			},
		},
	}
}
