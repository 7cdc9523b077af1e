package recommend_test

import (
	"context"
	"fmt"

	"github.com/founderlab/founderlab/lib/recommend"
)

func Example() {
	d := &recommend.Data{Users: []int{1, 2, 3}}
	for _, t := range []string{"Heat (1995)", "Casino (1995)", "Toy Story (1995)", "Babe (1995)"} {
		d.Items = append(d.Items, recommend.Item{Title: t})
	}
	// Users 1 and 2 like the crime films, user 3 Heat; each user's last
	// positive (Toy Story, Babe, Toy Story) is held out.
	for i, e := range [][3]int{{0, 0, 1}, {0, 1, 2}, {0, 2, 3}, {1, 0, 1}, {1, 1, 2}, {1, 3, 3}, {2, 0, 1}, {2, 2, 2}} {
		d.Events = append(d.Events, recommend.Event{User: e[0], Item: e[1], Rating: 4.5, Time: int64(e[2] + 10*i)})
	}
	s, _ := recommend.NewSplit(d)
	knn := &recommend.ItemKNN{}
	knn.Fit(context.Background(), s)
	recs, _ := knn.Recommend(2, 2) // user 3 liked Heat in training
	for _, r := range recs {
		fmt.Printf("%s (%.2f): %s\n", r.Title, r.Score, r.Reason)
	}
	// Output:
	// Casino (1995) (0.82): because you liked Heat (1995)
	// Toy Story (1995) (0.00): nobody has liked it yet
}

func ExampleEASE() {
	d := &recommend.Data{Users: []int{1, 2, 3, 4}}
	for _, t := range []string{"Heat (1995)", "Casino (1995)", "Toy Story (1995)", "Babe (1995)"} {
		d.Items = append(d.Items, recommend.Item{Title: t})
	}
	// Three users like both crime films; user 4 liked Heat, then Babe (held out).
	for i, e := range [][2]int{{0, 0}, {0, 1}, {0, 3}, {1, 0}, {1, 1}, {1, 2}, {2, 0}, {2, 1}, {2, 2}, {3, 0}, {3, 3}} {
		d.Events = append(d.Events, recommend.Event{User: e[0], Item: e[1], Rating: 4.5, Time: int64(i)})
	}
	s, _ := recommend.NewSplit(d)
	m := &recommend.EASE{Lambda: 1}
	if err := m.Fit(context.Background(), s); err != nil {
		fmt.Println(err)
		return
	}
	recs, _ := m.Recommend(3, 1)
	for _, r := range recs {
		fmt.Printf("%s: %s\n", r.Title, r.Reason)
	}
	// Output:
	// Casino (1995): because you liked Heat (1995)
}
