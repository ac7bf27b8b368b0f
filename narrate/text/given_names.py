"""Common given names by usual gender (a hint for names with no title or pronoun yet): the
English names of older novels, and the modern and non-English ones that news stories bring.

Only names that are overwhelmingly one gender are listed; unisex names (Jean, Francis,
Leslie, Marion, Sidney ...) are left out so that the pronouns decide. Lookups are on the
first word of a name, case-sensitive as written in a story ("Tom Sawyer" -> "Tom").
"""

from __future__ import annotations

from narrate.script import Gender

__all__ = ["gender_of_given_name"]

_MALE = """
Aaron Abe Abel Abner Abraham Adam Adolph Adrian Al Alan Albert Alec Alexander Alf Alfred Algernon
Allan Allen Alonzo Alphonse Ambrose Amos Andrew Andy Angus Anthony Antonio Archibald Archie Arnold
Arthur Augustus Austin Barnabas Barney Bart Bartholomew Basil Ben Benedict Benjamin Bernard Bert
Bertie Bertram Bill Billy Bob Bobby Boris Bradley Brian Bruce Bruno Bryan Caleb Carl Cecil Cedric
Charles Charley Charlie Chester Chris Christopher Chuck Clarence Claude Clement Clifford Clyde
Colin Conrad Cornelius Cuthbert Cyril Dan Daniel Danny Darius David Davy Dennis Derek Dick Dmitri
Dominic Don Donald Doug Douglas Duncan Ebenezer Ed Eddie Edgar Edmund Edward Edwin Eli Elias
Elijah Elmer Emil Emmanuel Enoch Ephraim Eric Ernest Ernie Eugene Ezekiel Ezra Felix Ferdinand
Fitzwilliam Frank Frankie Franz Fred Freddie Freddy Frederic Frederick Gabriel Gareth Gary
Geoffrey George Gerald Gideon Gilbert Giles Godfrey Gordon Graham Greg Gregory Gus Gustav Guy Hal
Hank Hans Harold Harry Harvey Hector Henry Herbert Herman Hiram Horace Horatio Howard Hubert Hugh
Hugo Humphrey Ian Ichabod Ignatius Isaac Isaiah Ivan Jack Jacob Jake Jakob James Jamie Jasper Jeff
Jeffrey Jem Jeremiah Jeremy Jerome Jerry Jesse Jim Jimmy Joe Joel Joey John Johnny Jonas Jonathan
Joseph Josh Joshua Josiah Jude Julian Julius Justin Karl Keith Ken Kenneth Kevin Lancelot Larry
Laurence Lawrence Lazarus Lemuel Len Leo Leon Leonard Leopold Lewis Lionel Lorenzo Louis Lucas
Lucien Luke Malcolm Marcus Mark Martin Matt Matthew Maurice Max Maximilian Michael Mick Mike Miles
Morris Moses Nat Nathan Nathaniel Ned Neil Nicholas Nick Nigel Noah Noel Norman Obadiah Oliver
Ollie Oscar Oswald Otto Owen Patrick Paul Pedro Percival Percy Pete Peter Phil Philip Phillip
Pierre Ralph Randolph Raymond Reginald Reuben Richard Rick Robert Robin Rod Roderick Rodney Roger
Roland Ron Ronald Roy Rudolf Rudolph Rufus Rupert Russell Sam Sammy Samson Samuel Saul Sebastian
Seth Silas Simon Solomon Stan Stanley Stefan Stephen Steve Steven Stuart Sylvester Ted Teddy
Terence Theo Theodore Thomas Tim Timothy Tobias Toby Tom Tommy Tony Trevor Tristram Uriah Victor
Vincent Wallace Walt Walter Warren Wilfred Wilhelm Will Willie William Willy Wilson Winston
Zachary Zeke
Alfie Algy Benny Ike Jock Lew Mickey Monty Mort Nate Reggie Rob Ronnie Sol Wally
Jason Ryan Brandon Tyler Kyle Dylan Ethan Logan Scott Todd Chad Travis Dustin Cody Shawn Sean
Jose Juan Carlos Luis Miguel Jorge Liam Aiden Connor Gavin Derrick Terrence Darnell Jamal Tyrone
Ahmed Mohammed Muhammad Mohamed Raj Rajesh Sanjay Vikram Arjun Rahul Omar Hassan Hussein Mustafa
Ibrahim Yusuf Sergei Vladimir Alexei Igor Pavel Andrei Mikhail Diego Alejandro Javier Ricardo
Fernando Rafael Manuel Roberto Eduardo Sergio Marco Giuseppe Giovanni Luca Matteo Jacques Henri
Klaus Lars Sven Olaf Erik Nils Brett Troy Darren Dwayne Duane Wayne Glenn Craig Randy Ricky
Curtis Marvin Leroy Lamar Andre Malik Xavier Grant Spencer Blake Garrett Evan Jared Zach Hiroshi
Kenji Takeshi
"""

_FEMALE = """
Abigail Ada Adela Adelaide Adele Agatha Agnes Alice Alicia Alison Amanda Amelia Amy Anastasia
Angela Angelina Ann Anna Annabel Anne Annette Annie Antoinette Arabella Augusta Barbara Beatrice
Becky Belinda Bella Bertha Beryl Bess Bessie Beth Betsy Betty Blanche Bridget Camilla Carol
Caroline Carrie Catherine Cathy Cecilia Cecily Celia Charity Charlotte Chloe Christina Christine
Clara Clarissa Claudia Cleo Constance Cora Cordelia Cornelia Cynthia Daisy Deborah Delia Della
Diana Dinah Dolly Dora Dorcas Doris Dorothea Dorothy Edith Edna Eleanor Elinor Eliza Elizabeth
Ella Ellen Ellie Elsa Elsie Emily Emma Esther Ethel Eugenia Eva Evelina Eve Fanny Flora Florence
Frances Georgiana Georgina Geraldine Gertrude Ginny Grace Gretchen Gwen Gwendolen Hannah Harriet
Hattie Hazel Helen Helena Henrietta Hester Hetty Hilda Honora Hope Ida Irene Isabel Isabella
Isabelle Jane Janet Jemima Jennie Jenny Jessica Jessie Jill Joan Joanna Josephine Judith Judy
Julia Julie Juliet Kate Katharine Katherine Kathleen Katie Kitty Laura Lavinia Leah Lena Letitia
Lilian Lillian Lily Lizzie Lizzy Lottie Louisa Louise Lucia Lucille Lucy Lydia Mabel Madeline
Maggie Mamie Marcia Margaret Margery Maria Marianne Marie Marjorie Martha Mary Matilda Maud Maude
Maureen May Meg Mildred Millie Minnie Miranda Molly Nancy Nell Nellie Nelly Nora Olive Olivia
Pamela Patience Patty Pauline Peggy Penelope Phoebe Polly Priscilla Prudence Rachel Rebecca Rhoda
Rose Rosa Rosalind Rosamond Rosie Ruth Sadie Sally Sara Sarah Selina Sophia Sophie Stella Susan
Susanna Susie Sybil Sylvia Tabitha Theresa Tilly Trixie Ursula Vera Victoria Violet Virginia
Wilhelmina Winifred Zoe
Babs Connie Dot Dottie Effie Ettie Flo Flossie Gertie Greta Ina Josie Lettie Libby Lil Lulu
Milly Myrtle Nan Nettie Pearl Pru Queenie Ruthie Sukey Tess Tessa Tessie Vi Winnie
Karen Linda Jennifer Ashley Michelle Lisa Kimberly Melissa Stephanie Nicole Heather Tiffany
Brittany Megan Lauren Danielle Andrea Kristen Erin Sandra Donna Sharon Debra Brenda Madison Ava
Mia Natalie Samantha Patricia Diane Cheryl Denise Tammy Wendy Monica Veronica Vanessa Carmen Ana
Sofia Yolanda Priya Aisha Fatima Courtney Kayla Brianna Jasmine Hailey Kathy Debbie Sue Suzanne
Valerie Gina Tina Rita Gloria Shirley Marilyn Beverly Lori Kristin Kristina Krista Christy
Joanne Colleen Kathryn Allison Alyssa Brooke Paige Haley Rebekah Naomi Miriam Yasmin Leila Layla
Nadia Olga Irina Svetlana Natasha Ingrid Elena Gabriela Mariana Adriana Alejandra Guadalupe
Juanita Keiko
"""

_TABLE: dict[str, Gender] = {
    **dict.fromkeys(_MALE.split(), Gender.MALE),
    **dict.fromkeys(_FEMALE.split(), Gender.FEMALE),
}


def gender_of_given_name(name: str) -> Gender:
    """The usual gender of a name's first word ("Tom Sawyer" -> male), else unknown."""
    words = name.split()
    return _TABLE.get(words[0], Gender.UNKNOWN) if words else Gender.UNKNOWN
